import Foundation

/// The active-attack protocol shipped inside the binary.
///
/// Embedded so `callscript take` works from any directory; its source is
/// `protocols/active-attack.yaml`.
public enum BuiltInProtocol {
  /// The name diagnostics and transcripts use for the built-in protocol.
  public static let fileName = "protocols/active-attack.yaml"

  /// The protocol's source bytes.
  public static var data: Data { Data(PackageResources.active_attack_yaml) }

  /// The compiled built-in protocol.
  public static func compile() -> CompileResult {
    ProtocolCompiler.compile(data: data, file: fileName)
  }
}
