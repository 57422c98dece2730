@testable import Core
import XCTest

final class ProfileTests: XCTestCase {
    static let loaded = Result { () throws(DomainError) -> [String: PolicyProfile] in try PolicyProfiles.all() }

    func testRosterValuesAgainstTheSeeds() throws {
        let all = try Self.loaded.get()
        XCTAssertEqual(Set(all.keys), ["wulong", "dayao", "huludao", "luan"])
        // 001 §8(二) / 003 §8: one spokesperson; 004 §六: 1–2 and a liaison.
        XCTAssertEqual(all["wulong"]!.roster.limit(for: .spokesperson), PostLimit(min: 1, max: 1, source: "001 §8(二)"))
        XCTAssertEqual(all["huludao"]!.roster.limit(for: .spokesperson)?.max, 1)
        XCTAssertEqual(all["dayao"]!.roster.limit(for: .spokesperson)?.max, 1)
        XCTAssertEqual(all["luan"]!.roster.limit(for: .spokesperson)?.max, 2)
        XCTAssertEqual(all["luan"]!.roster.limit(for: .liaison)?.min, 1)
        // 003 §9: re-file within 1 month; the others set no number.
        XCTAssertEqual(all["huludao"]!.roster.changeFilingMonths.value, 1)
        XCTAssertEqual(all["huludao"]!.roster.changeFilingMonths.source, "003 §9")
        for id in ["wulong", "dayao", "luan"] { XCTAssertNil(all[id]!.roster.changeFilingMonths.value, id) }
        // Temporary spokespersons: 003 §8 and 002 §六(一) only.
        XCTAssertEqual(all.filter { $0.value.roster.temporarySpokesperson.value }.keys.sorted(), ["dayao", "huludao"])
        XCTAssertEqual(all["dayao"]!.roster.newsOfficeName.value, "县委宣传部")
        XCTAssertEqual(all["huludao"]!.roster.governmentSpokesperson.value, "副秘书长以上领导")
        XCTAssertEqual(all.filter { $0.value.roster.yearlySubmission.value }.keys.sorted(), ["dayao", "luan"])
    }

    func testConferenceNumbersAgainstTheSeeds() throws {
        let all = try Self.loaded.get()
        let w = all["wulong"]!.conference, h = all["huludao"]!.conference
        // 001 §15(一)(二): apply ≥10 working days ahead, manuscript check within 10.
        XCTAssertEqual(w.applicationLeadWorkingDays.value, 10)
        XCTAssertEqual(w.applicationLeadWorkingDays.source, "001 §15(一)")
        XCTAssertEqual(w.reviewWorkingDays.value, 10)
        // 003 §31(一): ≥7 ahead, answered within 2; §34 materials 3 ahead; §33 event limits.
        XCTAssertEqual(h.applicationLeadWorkingDays.value, 7)
        XCTAssertEqual(h.applicationLeadWorkingDays.source, "003 §31(一)")
        XCTAssertEqual(h.reviewWorkingDays.value, 2)
        XCTAssertEqual(h.materialsLeadWorkingDays.value, 3)
        XCTAssertEqual(h.materials.value, [.statement, .hostScript, .qaBrief, .background, .venuePlan])
        XCTAssertEqual([h.maxDurationMinutes.value, h.maxPodium.value, h.jointLeadMinutes.value], [60, 5, 15])
        XCTAssertTrue(h.qaRequired.value && w.qaRequired.value)
        XCTAssertNil(w.maxDurationMinutes.value)
        // 001 §15(三): major matters climb to the deputy head and the head of government.
        XCTAssertEqual(w.approval.routine.value, [[.agencyPrincipal, .agencySpokesperson]])
        XCTAssertEqual(w.approval.major.value.suffix(2), [[.deputyHead], [.governmentHead]])
        XCTAssertEqual(h.approval.major.value.last, [.governmentHead])
        // 004 §三: the 副秘书长 approves; 002 §五(二)1: 分管副县长 then 县长.
        XCTAssertEqual(all["luan"]!.conference.approval.routine.value, [[.deputySecretaryGeneral]])
        XCTAssertEqual(all["dayao"]!.conference.approval.routine.value, [[.deputyHead], [.governmentHead]])
        XCTAssertEqual(w.speakers.value?.governmentLevel.main, [.governmentHead, .deputyHead])
        XCTAssertNil(all["dayao"]!.conference.speakers.value)
    }

    func testEmergencyClocksAndQuotasAgainstTheSeeds() throws {
        let all = try Self.loaded.get()
        let w = all["wulong"]!, h = all["huludao"]!, l = all["luan"]!, d = all["dayao"]!
        XCTAssertEqual(w.emergency.firstReleaseHours.value, 5)
        XCTAssertEqual(h.emergency.firstReleaseHours.value, 5)
        XCTAssertEqual([w.emergency.conferenceHours.value, h.emergency.conferenceHours.value, l.emergency.conferenceHours.value], [24, 24, 24])
        XCTAssertEqual(w.emergency.conferenceWhen.value, [.heavyCasualties, .majorImpact])
        XCTAssertEqual(h.emergency.conferenceWhen.value, [.levelMajorOrAbove])
        XCTAssertTrue(h.emergency.immediateOnMajorOnlineOpinion.value)
        XCTAssertNil(d.emergency.firstReleaseHours.value)
        XCTAssertEqual(h.emergency.releaser.value?.releaser(for: .general), .localGovernment)
        XCTAssertEqual(w.emergency.releaser.value?.releaser(for: .major), .headquarters)
        // 4·2·1: a conference a quarter, the spokesperson at the city's twice a year, the principal once.
        for p in [h, l] {
            XCTAssertEqual(p.quotas.map(\.period), [.quarter, .halfYear, .year], p.id)
            XCTAssertEqual(p.quotas.map(\.activity), [.pressConference, .attendGovernmentConference, .attendGovernmentConference], p.id)
        }
        // 001 §13(三): yearly quotas, the spokesperson twice.
        XCTAssertTrue(w.quotas.allSatisfy { $0.period == .year })
        XCTAssertEqual(w.quotas.first { $0.id == "agencySpokesperson.activity.year" }?.minimum, 2)
        XCTAssertTrue(d.quotas.isEmpty)
        XCTAssertEqual(h.evaluation.circular.value, .halfYear)
        XCTAssertEqual(l.evaluation.trainingRotationYears.value, 3)
        XCTAssertTrue(l.interpretation.publishWithPolicy.value)
    }

    /// Every quoted phrase is in the seed it cites, and a quoted number is the value's number.
    func testEveryQuoteIsInTheCitedSeed() throws {
        let all = try Self.loaded.get()
        func seed(_ prefix: String) throws -> String {
            let url = try XCTUnwrap(Bundle.module.url(forResource: prefix, withExtension: "txt", subdirectory: "Seeds"))
            return Self.squeeze(try String(contentsOf: url, encoding: .utf8))
        }
        var checked = 0
        for profile in all.values {
            let tree = try JSONSerialization.jsonObject(with: JSONEncoder().encode(profile))
            for (path, source, quote, value) in Self.quotes(tree, path: profile.id) {
                let file = String(source.prefix(3))
                XCTAssertTrue(try seed(file).contains(Self.squeeze(quote)), "\(path): “\(quote)” is not in \(file)")
                if let n = value as? Int, !(value is Bool) {
                    let shown = quote.contains("\(n)") || (n % 60 == 0 && quote.contains("\(n / 60)个小时"))
                    XCTAssertTrue(shown, "\(path): quote does not show \(n)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 80)
    }

    // MARK: files: extends and validation

    func testAProfileExtendsAnotherAndOverridesValues() throws {
        let child = #"""
        {"id": "xingcheng", "name": "兴城市", "extends": "huludao",
         "conference": {"applicationLeadWorkingDays": {"value": 5, "source": "兴城市示例 §3"}}}
        """#
        let p = try PolicyProfiles.validate(.init(name: "xingcheng.json", data: Data(child.utf8)))
        XCTAssertEqual(p.id, "xingcheng")
        XCTAssertEqual(p.extends, "huludao")
        XCTAssertEqual(p.conference.applicationLeadWorkingDays, Cited(5, source: "兴城市示例 §3"))
        // Everything else is inherited, citations included.
        XCTAssertEqual(p.conference.reviewWorkingDays.value, 2)
        XCTAssertEqual(p.conference.reviewWorkingDays.source, "003 §31(一)")
        XCTAssertEqual(p.quotas.count, 3)
    }

    func testBadProfileFilesNameFileKeyAndExpectation() {
        func refusal(_ json: String) -> String {
            do {
                _ = try PolicyProfiles.validate(.init(name: "x.json", data: Data(json.utf8)))
                return "accepted"
            } catch {
                return error.message
            }
        }
        let base = #""id": "x", "name": "X", "extends": "wulong""#
        XCTAssertEqual(refusal("{\(base), \"conference\": {\"reviewWorkdays\": {\"value\": 3, \"source\": \"s\"}}}"),
                       "文件 x.json（继承 wulong.json） 无效：未知的键 conference.reviewWorkdays（请检查拼写；允许的键见运维手册）")
        XCTAssertTrue(refusal("{\(base), \"conference\": {\"maxPodium\": {\"value\": \"five\", \"source\": \"s\"}}}")
            .contains("键 conference.maxPodium.value 的类型不对，应为整数"))
        XCTAssertTrue(refusal("{\(base), \"conference\": {\"maxPodium\": {\"source\": \"s\"}}}").contains("缺少键 conference.maxPodium.value"))
        XCTAssertTrue(refusal("{\(base), \"conference\": {\"maxPodium\": {\"value\": 0, \"source\": \"s\"}}}").contains("应在 1–30 之间"))
        XCTAssertTrue(refusal("{\(base), \"conference\": {\"maxPodium\": {\"value\": 3, \"source\": \"\"}}}").contains("conference.maxPodium.source 不能为空"))
        XCTAssertTrue(refusal(#"{"id": "x", "name": "X", "extends": "nowhere"}"#).contains("extends 指向的政策配置 nowhere 不存在"))
        XCTAssertTrue(refusal(#"{"id": "x", "name": "X"}"#).contains("缺少键"))
        XCTAssertTrue(refusal(#"{"id": "y", "name": "X", "extends": "wulong"}"#).contains("与文件名一致"))
        XCTAssertTrue(refusal("{\(base), \"roster\": {\"limits\": {\"spokesman\": {\"min\": 1, \"max\": 1, \"source\": \"s\"}}}}")
            .contains("roster.limits.spokesman 不是已知的职务"))
    }

    func testExtendsCyclesAreRefused() {
        let a = PolicyProfiles.File(name: "a.json", data: Data(#"{"id": "a", "name": "A", "extends": "b"}"#.utf8))
        let b = PolicyProfiles.File(name: "b.json", data: Data(#"{"id": "b", "name": "B", "extends": "a"}"#.utf8))
        XCTAssertThrowsError(try PolicyProfiles.resolveAll([a, b])) { error in
            XCTAssertTrue((error as? DomainError)?.message.contains("循环") == true, "\(error)")
        }
    }

    // MARK: helpers

    static func squeeze(_ s: String) -> String { s.filter { !$0.isWhitespace } }

    /// (path, source, quote, value) for every cited value with a quote.
    static func quotes(_ tree: Any, path: String) -> [(String, String, String, Any?)] {
        var out: [(String, String, String, Any?)] = []
        if let dict = tree as? [String: Any] {
            if let quote = dict["quote"] as? String, let source = dict["source"] as? String {
                out.append((path, source, quote, dict["value"]))
            }
            for (k, v) in dict { out += quotes(v, path: path + "." + k) }
        } else if let array = tree as? [Any] {
            for (i, v) in array.enumerated() { out += quotes(v, path: path + "[\(i)]") }
        }
        return out
    }
}
