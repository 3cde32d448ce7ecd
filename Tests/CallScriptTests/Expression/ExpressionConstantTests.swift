import CallScript
import Testing

@Suite struct ExpressionConstantTests {
  typealias F = ExpressionFixtures

  @Test(arguments: [
    "false",
    "not true",
    "not not false",
    "1 > 2",
    "2 < 2",
    "3 = 4",
    "3 != 3",
    "not (1 < 2)",
    "true and false",
    "false or false",
    "caller_safe = yes and caller_safe = no",
    "caller_safe = yes and not caller_safe != no",
    "weapon_type = firearm and weapon_type = edged",
    "weapon_type in (firearm, edged) and weapon_type = blunt",
    "weapon_type in (firearm, edged) and not weapon_type in (firearm, edged)",
    "weapon_type = firearm and weapon_type != firearm",
    "incident_kind = bomb and incident_kind = hostage",
    "known(caller_safe) and unknown(caller_safe)",
    "unknown(caller_safe) and caller_safe = yes",
    "refused(location) and known(location)",
    "not answered(weapons) and weapons has firearm",
    "attack_active and not attack_active",
    "attackers > 3 and attackers < 2",
    "attackers = 3 and attackers > 3",
    "attackers < 0",
    "0 > attackers",
    "count(weapons) < 0",
    "count(weapons) > 2 and count(weapons) < 3",
    "caller_safe = yes and (caller_safe = no or false)",
    "caller_safe = yes and (caller_safe = no or weapon_type = firearm and weapon_type = edged)",
    "(caller_safe = yes or can_leave = yes) and caller_safe = no and can_leave = no",
    "not (caller_safe = yes or caller_safe != yes)",
    "attack_active and (hidden and (still_armed and not attack_active))",
  ])
  func provedNeverToHold(_ text: String) throws {
    let condition = try #require(F.condition(text))
    #expect(condition.isConstantlyFalse)
    // Sound: a condition proved false is false for sample facts too.
    #expect(!condition.evaluate(F.facts()))
  }

  @Test(arguments: [
    "true",
    "1 < 2",
    "caller_safe = yes",
    "caller_safe = yes or caller_safe = no",
    "caller_safe != yes and caller_safe != no",
    "weapon_type != firearm and weapon_type != edged",
    "weapon_type in (firearm, edged) and weapon_type = edged",
    "location = \"a\" and location = \"b\"",
    "not (attackers > 3) and attackers > 3",
    "attackers > 3 and attackers < 5",
    "attackers >= 3 and attackers <= 3",
    "attackers > 1000000",
    "count(weapons) = 0",
    "known(caller_safe) and caller_safe = no",
    "answered(caller_safe) and not known(caller_safe)",
    "caller_safe = yes and (caller_safe = no or can_leave = yes)",
    "attack_active = still_armed and attack_active",
    "weapons has firearm and not weapons has firearm and false or true",
    "caller_safe = can_leave and caller_safe = yes and can_leave = no",
  ])
  func notProvedNeverToHold(_ text: String) throws {
    let condition = try #require(F.condition(text))
    #expect(!condition.isConstantlyFalse)
  }

  @Test func provedFalseConditionsNeverHold() throws {
    // Brute force over a few slots: every condition flagged constantly false is false for all.
    let texts = [
      "caller_safe = yes and caller_safe = no",
      "known(caller_safe) and unknown(caller_safe)",
      "weapon_type in (firearm, edged) and not weapon_type in (firearm, edged)",
      "attackers > 3 and attackers < 2",
      "count(weapons) > 2 and count(weapons) < 3",
    ]
    let yesNo: [FactValue] = [.unanswered, .unknown, .refused, .yesNo(true), .yesNo(false)]
    let choice: [FactValue] = [.unanswered, .unknown, .option("firearm"), .option("blunt")]
    let counts: [FactValue] = [
      .unanswered, .count(low: 0, high: 0), .count(low: 2, high: 3), .count(low: 3, high: nil),
      .count(low: 1, high: 1),
    ]
    let many: [FactValue] = [
      .unanswered, .options([]), .options(["firearm", "edged", "explosive"]),
      .options(["firearm", "edged"]),
    ]
    for text in texts {
      let condition = try #require(F.condition(text))
      #expect(condition.isConstantlyFalse, "\(text)")
      for a in yesNo {
        for b in choice {
          for c in counts {
            for d in many {
              let facts = F.facts([
                "caller_safe": a, "weapon_type": b, "attackers": c, "weapons": d,
              ])
              #expect(!condition.evaluate(facts))
            }
          }
        }
      }
    }
  }
}
