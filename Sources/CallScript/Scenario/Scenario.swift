/// A scripted call that proves a protocol: steps, and what must happen at each.
///
/// Read from `*.scenario.yaml` files; docs/protocol-format.md describes the format.
public struct Scenario: Sendable {
  /// One step of the call.
  public struct Step: Sendable {
    public enum Action: Sendable, Hashable {
      /// Answer the question being asked (input as the call-taker would type it).
      case answer(String)
      /// Answer a given question out of order, or change its answer.
      case set(question: String, input: String)
      case note(String)
      case back
      case override(code: String, reason: String)
      case confirm(verification: String, confirmed: Bool, unit: String?)
      case disconnect
      case callback
      case end
      /// Only time passes.
      case wait
    }

    public var action: Action
    /// Call-clock seconds of the step: `at:` in the file, else the previous step's time plus
    /// `after:` (how long the caller takes; 5 s when not given).
    public var at: Double
    /// The question that must be on screen before the step.
    public var ask: String?
    public var expect: Expectations
    public var position: SourcePosition
  }

  /// What must be true after a step.
  public struct Expectations: Sendable {
    /// The step's event is refused with a message containing this text.
    public var error: String?
    public var record: Bool?
    public var determinant: String?
    public var say: [String] = []
    public var notSay: [String] = []
    public var relay: [String] = []
    public var verify: [String] = []
    public var warn: [String] = []
    /// The question on screen after the step ("none" when nothing is left).
    public var next: String?
    public var offRoute: [String] = []
    /// Questions that fall due at this step while another waits (re-asks).
    public var due: [String] = []
    /// EIDO path -> text the record sent at this step must hold there.
    public var eido: [(path: String, text: String)] = []
    /// EIDO path -> text the record sent at this step must not hold anywhere there.
    public var notEIDO: [(path: String, text: String)] = []
    /// Resources the response must include (`plan`) or leave out (`not_plan`) after the step.
    public var plan: [String] = []
    public var notPlan: [String] = []
    /// Texts no relay sent at this step may contain.
    public var notRelay: [String] = []
  }

  /// Expectations over the whole call.
  public struct Final: Sendable {
    /// The questions asked, in order (each prompt answered or re-asked).
    public var asked: [String]?
    /// 1-based index of the step at which the first record goes out.
    public var firstRecordStep: Int?
    public var determinant: String?
    /// Record field -> text the field's value must contain (`absent` for no value).
    public var lastRecord: [(field: RecordField, text: String, position: SourcePosition)] = []
    public var instructions: [String] = []
    public var notInstructions: [String] = []
    public var relays: [String] = []
    public var verifications: [String] = []
    public var noRecord = false
    /// EIDO path -> text the last record's EIDO document must hold there.
    public var lastEIDO: [(path: String, text: String, position: SourcePosition)] = []
    /// Texts no relay of the call may contain ("not yet known").
    public var notRelays: [String] = []
    /// Resources the final response must include, or leave out.
    public var plan: [String] = []
    public var notPlan: [String] = []
    /// Where each whole-call key is written, for failures that point at it.
    public var positions: [String: SourcePosition] = [:]
  }

  public var name: String
  public var file: String
  /// Where the whole-call `expect` is written (or the scenario's name when there is none).
  public var position: SourcePosition = .start
  /// The protocol file named by the scenario, relative to the scenario; nil for the built-in.
  public var protocolPath: String?
  public var language: String?
  /// What the phone system and CAD give with the call (`call:`): item (`callback`,
  /// `location`) and text, in file order.
  public var callData: [(item: String, text: String)] = []
  public var steps: [Step]
  public var final: Final
}
