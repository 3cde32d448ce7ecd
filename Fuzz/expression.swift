import Foundation

@testable import CallScript

/// Names an expression may use: one of each type.
let symbols = SymbolIndex([
  Symbol(name: "caller_safe", slot: 0, type: .yesNo, isQuestion: true),
  Symbol(
    name: "weapon_type", slot: 1, type: .oneOf(options: ["firearm", "edged", "none"]),
    isQuestion: true),
  Symbol(name: "weapons", slot: 2, type: .manyOf(options: ["firearm", "edged"]), isQuestion: true),
  Symbol(name: "attackers", slot: 3, type: .count, isQuestion: true),
  Symbol(name: "location", slot: 4, type: .text, isQuestion: true),
  Symbol(name: "attack_active", slot: 5, type: .condition, isQuestion: false),
  Symbol(name: "incident_kind", slot: 6, type: .word(values: ["hostage", "bomb"]), isQuestion: false),
])

/// The expression parser and type checker: any text gives a condition or issues, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  guard let bytes else { return 0 }
  let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  _ = ExpressionCompiler.compileCondition(text, symbols: symbols)
  return 0
}
