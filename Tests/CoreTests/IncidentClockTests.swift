@testable import Core
import Foundation
import XCTest

/// The emergency clocks of SPEC §5 from each profile.
final class IncidentClockTests: XCTestCase {
    var profiles: [String: PolicyProfile]!
    let occurred = Date(timeIntervalSince1970: 1_795_226_400)  // 2026-11-21 10:00 Shanghai

    override func setUpWithError() throws { profiles = try PolicyProfiles.all() }

    func clocks(_ id: String, _ facts: IncidentFacts, registered: TimeInterval = 4 * 3600) -> [IncidentClock] {
        EmergencyClocks(rules: profiles[id]!.emergency).clocks(for: facts, registeredAt: occurred.addingTimeInterval(registered))
    }

    func testRegisteredFourHoursLateLeavesOneHourOnTheFirstReleaseClock() {
        // setup: an accident at 10:00, registered at 14:00.
        let facts = IncidentFacts(type: .accident, level: .general, occurredAt: occurred)
        // act
        let c = clocks("wulong", facts)
        // check: 001 §13(四) "5小时内" runs from occurrence → 15:00, one hour after registering.
        XCTAssertEqual(c.map(\.kind), [.firstRelease])
        XCTAssertEqual(c[0].dueAt.timeIntervalSince(occurred.addingTimeInterval(4 * 3600)), 3600)
        XCTAssertEqual(HourClock.wallTime(c[0].dueAt), "2026-11-21 15:00")
        XCTAssertTrue(c[0].source.hasPrefix("001 §13(四)"))
    }

    func testRaisingCasualtiesStartsTheTwentyFourHourConferenceClock() {
        var facts = IncidentFacts(type: .accident, level: .large, occurredAt: occurred, casualties: Casualties(dead: 2, injured: 5))
        XCTAssertEqual(clocks("wulong", facts).map(\.kind), [.firstRelease])
        facts.casualties = Casualties(dead: 8, injured: 20, missing: 3)  // 11 dead or missing: 重大人员伤亡
        let c = clocks("wulong", facts)
        XCTAssertEqual(c.map(\.kind), [.firstRelease, .conference])
        XCTAssertEqual(HourClock.wallTime(c[1].dueAt), "2026-11-22 10:00")
        XCTAssertTrue(c[1].reason.contains("重大人员伤亡"), c[1].reason)
        // Large social impact alone also calls for it under wulong (001 §13(四)).
        XCTAssertEqual(clocks("wulong", IncidentFacts(type: .accident, level: .general, occurredAt: occurred, majorImpact: true)).count, 2)
        // Huludao asks for it by level instead (003 §23): casualties alone do not, 重大 does.
        XCTAssertEqual(clocks("huludao", facts).map(\.kind), [.firstRelease])
        facts.level = .major
        XCTAssertEqual(clocks("huludao", facts).map(\.kind), [.firstRelease, .conference])
    }

    func testAtOnceRules() {
        // 003 §25: social-security incident with major online opinion → release at once.
        let registered = occurred.addingTimeInterval(3600)
        let social = IncidentFacts(type: .socialSecurity, level: .general, occurredAt: occurred, majorOnlineOpinion: true)
        // "At once" = within an hour of registering, or sooner when 5 h from occurrence runs out first.
        XCTAssertEqual(clocks("huludao", social, registered: 3600).first?.dueAt, registered.addingTimeInterval(3600))
        XCTAssertEqual(clocks("huludao", social, registered: 10 * 3600).first?.dueAt, occurred.addingTimeInterval(5 * 3600))
        XCTAssertEqual(clocks("wulong", social, registered: 3600).first?.dueAt, occurred.addingTimeInterval(5 * 3600), "001 has no such rule")
        // luan: "第一时间" with no number of hours → within an hour of registering.
        let luan = clocks("luan", IncidentFacts(type: .naturalDisaster, level: .general, occurredAt: occurred), registered: 1800)
        XCTAssertEqual(luan.first?.dueAt, occurred.addingTimeInterval(1800 + 3600))
        XCTAssertTrue(luan.first?.reason.contains("第一时间") ?? false)
    }

    func testReleaserByLevelAndTheFirstReleaseChecklist() {
        XCTAssertEqual(EmergencyClocks(rules: profiles["huludao"]!.emergency).releaser(for: .large), .competentDepartment)
        XCTAssertEqual(EmergencyClocks(rules: profiles["wulong"]!.emergency).releaser(for: .major), .headquarters)
        let list = FirstReleaseChecklist(time: true, place: true, scene: false, casualties: true, measures: false)
        XCTAssertEqual(list.missing, ["现场情况", "已采取的措施"])
    }
}
