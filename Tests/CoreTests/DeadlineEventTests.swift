@testable import Core
import Foundation
import XCTest

/// Reminder times, who hears of a clock, webhook signatures and backoff (issue #5).
final class DeadlineEventTests: XCTestCase {
    let due = Date(timeIntervalSince1970: 1_800_000_000)

    func testRemindersSkipThosePastWhenTheClockOpens() {
        // Opened 3 days ahead: both reminders to come, the 24-hour one first.
        var s = ReminderSchedule.state(due: due, hoursBefore: [2, 24], now: due.addingTimeInterval(-72 * 3600))
        XCTAssertEqual(s.passed, 0)
        XCTAssertEqual(s.next, due.addingTimeInterval(-24 * 3600))
        // Opened with 3 hours left: no 24-hour reminder, the 2-hour one is next.
        s = ReminderSchedule.state(due: due, hoursBefore: [24, 2], now: due.addingTimeInterval(-3 * 3600))
        XCTAssertEqual(s.passed, 1)
        XCTAssertEqual(s.next, due.addingTimeInterval(-2 * 3600))
        // After the last one: nothing left.
        s = ReminderSchedule.state(due: due, hoursBefore: [24, 2], now: due.addingTimeInterval(-3600))
        XCTAssertEqual(s.passed, 2)
        XCTAssertNil(s.next)
        XCTAssertNil(ReminderSchedule.state(due: due, hoursBefore: [], now: due).next)
    }

    func testAudienceAndEscalation() {
        let tree = AgencyTree([
            AgencyNode(id: "gov", parentID: nil, jurisdictionID: "j", kind: .government),
            AgencyNode(id: "news", parentID: nil, jurisdictionID: "j", kind: .newsOffice),
            AgencyNode(id: "fgw", parentID: nil, jurisdictionID: "j", kind: .department),
            AgencyNode(id: "county", parentID: nil, jurisdictionID: "j", kind: .government),
        ])
        let members: [DeadlineAudience.Member] = [
            .init(id: "editor", role: .editor, agencyID: "fgw", offices: []),
            .init(id: "clerk", role: .newsOffice, agencyID: "news", offices: []),
            .init(id: "head", role: .approver, agencyID: "fgw", offices: [.agencyPrincipal]),
            .init(id: "deputy", role: .approver, agencyID: "gov", offices: [.deputyHead]),
        ]
        XCTAssertEqual(DeadlineAudience.responsible(.review, agency: "fgw", tree: tree, members: members), ["clerk"])
        XCTAssertEqual(DeadlineAudience.responsible(.materials, agency: "fgw", tree: tree, members: members), ["editor"])
        // Overdue materials: up to the news office and the agency principal.
        XCTAssertEqual(DeadlineAudience.escalation(.materials, agency: "fgw", tree: tree, members: members), ["clerk", "head"])
        // An overdue review goes to the office above the reviewer (none here) and the principal.
        XCTAssertEqual(DeadlineAudience.escalation(.review, agency: "fgw", tree: tree, members: members), ["head"])
    }

    func testWebhookSignatureMatchesAnIndependentHMAC() {
        // python3: hmac.new(b'secret', b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        XCTAssertEqual(WebhookSignature.sign(body: Array(#"{"a":1}"#.utf8), timestamp: 1_700_000_000, secret: "secret"),
                       "t=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686")
        XCTAssertEqual(WebhookBackoff.delay(afterAttempt: 1), 30)
        XCTAssertEqual(WebhookBackoff.delay(afterAttempt: 3), 120)
        XCTAssertEqual(WebhookBackoff.delay(afterAttempt: 30), 6 * 3600)
    }
}
