/// An agency's override file: a small file that names a protocol (`overrides: PATH`) and changes
/// what the agency words or sends differently, without a copy of the protocol.
///
/// It may change resource descriptions (`resources`), a determinant or medical row's plan
/// (`plans`, by code), and the wording of questions (`ask`, `label`, `hint`), instructions
/// (`say`, `hint`), relays (`text`) and verifications (`confirm`, `evidence`), by id. Every id
/// is checked against the protocol, with a did-you-mean; the changed values are then compiled
/// with the protocol like its own, so a wrong fact in an agency's relay is found where the
/// agency wrote it.
enum OverrideFile {
  static let topLevelKeys = [
    "overrides", "agency", "resources", "plans", "questions", "instructions", "relays",
    "verifications",
  ]
  /// The keys an override may change, by the protocol's list they change.
  static let wordingKeys: [(list: String, noun: String, keys: [String])] = [
    ("questions", "question", ["ask", "label", "hint"]),
    ("instructions", "instruction", ["say", "hint"]),
    ("relays", "relay", ["text"]),
    ("verifications", "verification", ["confirm", "evidence"]),
  ]

  /// The protocol `base` names, with the overrides in `entries` applied; nil when it cannot
  /// be read.
  static func apply(
    _ entries: [SourceEntry], base: SourceEntry, assembly: inout SourceAssembly,
    sink: DiagnosticSink
  ) -> SourceNode? {
    for entry in entries where !topLevelKeys.contains(entry.key.text) {
      sink.error(
        entry.key.position, DiagnosticCode.unknownKey,
        "unknown key '\(entry.key.text)' in an override file",
        suggestion: NameSuggestion.didYouMean(entry.key.text, among: topLevelKeys))
    }
    if let agency = entries.first(where: { $0.key.text == "agency" }),
      !(agency.value.isText)
    {
      sink.error(
        agency.value.position, DiagnosticCode.wrongType,
        "'agency' must be text naming the agency, found \(agency.value.shapeName)")
    }
    guard case .scalar(let scalar) = base.value else {
      sink.error(
        base.value.position, DiagnosticCode.wrongType,
        "'overrides' names the protocol file this file changes, found \(base.value.shapeName)")
      return nil
    }
    guard let written = SourceAssembly.path(scalar, sink: sink) else { return nil }
    guard
      let tree = assembly.protocolTree(
        SourceBundle.join("", written), at: scalar.position, chain: [assembly.selfPath], sink: sink),
      case .mapping(var protocolEntries, let position) = tree
    else { return nil }
    for entry in entries {
      switch entry.key.text {
      case "resources":
        change(&protocolEntries, "resources", by: entry, sink: sink)
      case "plans":
        plans(&protocolEntries, by: entry, sink: sink)
      default:
        guard let kind = wordingKeys.first(where: { $0.list == entry.key.text }) else { continue }
        wording(&protocolEntries, kind: kind, by: entry, sink: sink)
      }
    }
    return .mapping(protocolEntries, position)
  }

  /// The entries of an override's mapping, or nil after reporting another shape.
  static func mapping(_ entry: SourceEntry, sink: DiagnosticSink, what: String) -> [SourceEntry]? {
    guard case .mapping(let entries, _) = entry.value else {
      sink.error(
        entry.value.position, DiagnosticCode.wrongType,
        "'\(entry.key.text)' in an override file maps \(what), found \(entry.value.shapeName)")
      return nil
    }
    return entries
  }

  /// `resources`: new descriptions of the protocol's resources.
  static func change(
    _ protocolEntries: inout [SourceEntry], _ key: String, by entry: SourceEntry,
    sink: DiagnosticSink
  ) {
    guard let changes = mapping(entry, sink: sink, what: "resource ids to descriptions") else {
      return
    }
    guard let index = protocolEntries.firstIndex(where: { $0.key.text == key }),
      case .mapping(var resources, let position) = protocolEntries[index].value
    else {
      for change in changes {
        sink.error(
          change.key.position, DiagnosticCode.undefinedReference,
          "unknown resource '\(SafeText.quoted(change.key.text))': the protocol has no "
            + "'resources'")
      }
      return
    }
    let ids = resources.map(\.key.text)
    for change in changes {
      guard let found = resources.firstIndex(where: { $0.key.text == change.key.text }) else {
        sink.unknownName(
          "resource", change.key.text, at: change.key.position, "in the override file", among: ids)
        continue
      }
      resources[found].value = change.value
    }
    protocolEntries[index].value = .mapping(resources, position)
  }

  /// `plans`: a new plan for determinant or medical rows, by code.
  static func plans(
    _ protocolEntries: inout [SourceEntry], by entry: SourceEntry, sink: DiagnosticSink
  ) {
    guard let changes = mapping(entry, sink: sink, what: "determinant codes to plans") else {
      return
    }
    var codes: [String] = []
    for table in ["determinants", "medical"] {
      guard let list = protocolEntries.first(where: { $0.key.text == table })?.value,
        case .sequence(let rows, _) = list
      else { continue }
      for row in rows {
        if case .mapping(let fields, _) = row,
          case .scalar(let code)? = fields.first(where: { $0.key.text == "code" })?.value
        {
          codes.append(code.text)
        }
      }
    }
    for change in changes {
      var found = false
      for table in ["determinants", "medical"] where !found {
        found = replace(
          in: &protocolEntries, list: table, idKey: "code", id: change.key.text, key: "plan",
          value: change.value)
      }
      if !found {
        sink.unknownName(
          "determinant code", change.key.text, at: change.key.position,
          "in 'plans' of the override file", among: codes)
      }
    }
  }

  /// `questions`, `instructions`, `relays`, `verifications`: new wording by id.
  static func wording(
    _ protocolEntries: inout [SourceEntry], kind: (list: String, noun: String, keys: [String]),
    by entry: SourceEntry, sink: DiagnosticSink
  ) {
    guard let changes = mapping(entry, sink: sink, what: "\(kind.noun) ids to their wording")
    else { return }
    var ids: [String] = []
    if let list = protocolEntries.first(where: { $0.key.text == kind.list })?.value,
      case .sequence(let items, _) = list
    {
      for item in items {
        if case .mapping(let fields, _) = item,
          case .scalar(let id)? = fields.first(where: { $0.key.text == "id" })?.value
        {
          ids.append(id.text)
        }
      }
    }
    for change in changes {
      let id = change.key.text
      guard ids.contains(id) else {
        sink.unknownName(kind.noun, id, at: change.key.position, "in the override file", among: ids)
        continue
      }
      guard case .mapping(let fields, _) = change.value else {
        sink.error(
          change.value.position, DiagnosticCode.wrongType,
          "the override of \(kind.noun) '\(id)' maps "
            + kind.keys.map { "'\($0)'" }.joined(separator: ", ") + " to new text, found "
            + change.value.shapeName)
        continue
      }
      for field in fields {
        guard kind.keys.contains(field.key.text) else {
          sink.error(
            field.key.position, DiagnosticCode.unknownKey,
            "'\(field.key.text)' of \(kind.noun) '\(id)' cannot be overridden: an agency may "
              + "change " + kind.keys.map { "'\($0)'" }.joined(separator: ", "),
            suggestion: NameSuggestion.didYouMean(field.key.text, among: kind.keys))
          continue
        }
        _ = replace(
          in: &protocolEntries, list: kind.list, idKey: "id", id: id, key: field.key.text,
          value: field.value)
      }
    }
  }

  /// Sets `key` of the item whose `idKey` is `id` in the list `list`; false when there is none.
  static func replace(
    in protocolEntries: inout [SourceEntry], list: String, idKey: String, id: String,
    key: String, value: SourceNode
  ) -> Bool {
    guard let listIndex = protocolEntries.firstIndex(where: { $0.key.text == list }),
      case .sequence(var items, let listPosition) = protocolEntries[listIndex].value
    else { return false }
    for (index, item) in items.enumerated() {
      guard case .mapping(var fields, let position) = item,
        case .scalar(let scalar)? = fields.first(where: { $0.key.text == idKey })?.value,
        scalar.text == id
      else { continue }
      if let field = fields.firstIndex(where: { $0.key.text == key }) {
        fields[field].value = value
      } else {
        fields.append(
          SourceEntry(
            key: SourceScalar(text: key, position: value.position, contentOffset: 0),
            value: value))
      }
      items[index] = .mapping(fields, position)
      protocolEntries[listIndex].value = .sequence(items, listPosition)
      return true
    }
    return false
  }
}

extension SourceNode {
  /// Whether the node is text.
  var isText: Bool {
    if case .scalar = self { return true }
    return false
  }
}
