@testable import Core
import XCTest

final class RosterPolicyTests: XCTestCase {
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    func term(_ id: String, _ kind: PositionKind, person: String, _ start: String, _ end: String? = nil, scope: String? = nil) -> PositionTerm {
        PositionTerm(id: id, agencyID: "A", personID: person, kind: kind, start: d(start), end: end.map(d), scope: scope)
    }

    func testOneSpokespersonAtATimeButSuccessionWorks() throws {
        let policy = RosterPolicy(try PolicyProfiles.load("wulong").roster)
        let current = term("1", .spokesperson, person: "p1", "2025-01-04")
        XCTAssertThrowsError(try policy.checkAppointment(term("2", .spokesperson, person: "p2", "2026-03-01"), existing: [current])) { e in
            XCTAssertEqual((e as? DomainError)?.code, "post_limit_exceeded")
        }
        // The predecessor leaves on 02-28; the successor starts 03-01: no overlap.
        let ended = term("1", .spokesperson, person: "p1", "2025-01-04", "2026-02-28")
        XCTAssertNoThrow(try policy.checkAppointment(term("2", .spokesperson, person: "p2", "2026-03-01"), existing: [ended]))
        // Starting the same day the predecessor's last day overlaps by one day.
        XCTAssertThrowsError(try policy.checkAppointment(term("2", .spokesperson, person: "p2", "2026-02-28"), existing: [ended]))
        // A term that ends before a future appointment starts does not collide with it.
        let future = term("3", .spokesperson, person: "p3", "2027-01-01")
        XCTAssertNoThrow(try policy.checkAppointment(term("4", .spokesperson, person: "p4", "2026-03-01", "2026-12-31"), existing: [ended, future]))
    }

    func testLuanAllowsTwoSpokespersonsNotThree() throws {
        let policy = RosterPolicy(try PolicyProfiles.load("luan").roster)
        let one = term("1", .spokesperson, person: "p1", "2025-01-04")
        XCTAssertNoThrow(try policy.checkAppointment(term("2", .spokesperson, person: "p2", "2026-01-04"), existing: [one]))
        let two = term("2", .spokesperson, person: "p2", "2026-01-04")
        XCTAssertThrowsError(try policy.checkAppointment(term("3", .spokesperson, person: "p3", "2026-06-01"), existing: [one, two]))
    }

    func testSamePersonTwiceAndEndBeforeStartAreRefused() throws {
        let policy = RosterPolicy(try PolicyProfiles.load("luan").roster)
        let one = term("1", .spokesperson, person: "p1", "2025-01-04")
        XCTAssertThrowsError(try policy.checkAppointment(term("2", .spokesperson, person: "p1", "2026-01-04"), existing: [one])) { e in
            XCTAssertEqual((e as? DomainError)?.code, "already_holds_post")
        }
        XCTAssertThrowsError(try policy.checkAppointment(term("2", .assistant, person: "p2", "2026-01-04", "2025-12-31"), existing: [])) { e in
            XCTAssertNotNil((e as? DomainError)?.fields["endDate"])
        }
    }

    func testGapsListMissingRequiredPosts() throws {
        let wulong = RosterPolicy(try PolicyProfiles.load("wulong").roster)
        let gaps = wulong.gaps(in: [term("1", .principal, person: "p", "2025-01-01")], on: d("2026-11-21"))
        XCTAssertEqual(gaps.map(\.kind), [.spokesperson, .assistant])
        XCTAssertTrue(gaps[0].message.contains("001 §8(二)"))
        // Under luan a liaison is required and an assistant is not.
        let luan = RosterPolicy(try PolicyProfiles.load("luan").roster)
        XCTAssertEqual(luan.gaps(in: [], on: d("2026-11-21")).map(\.kind), [.principal, .spokesperson, .liaison])
    }

    func testFilingDeadlineUnderHuludao() throws {
        let deadline = FilingDeadline(try PolicyProfiles.load("huludao").roster)
        XCTAssertEqual(deadline.due(forChangeEffective: d("2026-01-31")), d("2026-02-28"))
        XCTAssertFalse(deadline.isOverdue(changeEffective: d("2026-10-21"), today: d("2026-11-21")))
        XCTAssertTrue(deadline.isOverdue(changeEffective: d("2026-10-20"), today: d("2026-11-21")))
        let none = FilingDeadline(try PolicyProfiles.load("wulong").roster)
        XCTAssertFalse(none.isOverdue(changeEffective: d("2020-01-01"), today: d("2026-11-21")))
    }

    func testFilingStateMachine() throws {
        XCTAssertEqual(try FilingState.submitted.accept(), .accepted)
        XCTAssertThrowsError(try FilingState.accepted.accept())
        XCTAssertThrowsError(try FilingState.submitted.returned(reason: " "))
        XCTAssertEqual(try FilingState.submitted.returned(reason: "缺材料"), .returned)
        XCTAssertThrowsError(try FilingState.returned.returned(reason: "again"))
    }
}

final class AccessPolicyTests: XCTestCase {
    // City (top) with its news office and a department; a county government with its own office and department.
    let tree = AgencyTree([
        AgencyNode(id: "gov", parentID: nil, jurisdictionID: "j", kind: .government),
        AgencyNode(id: "news", parentID: nil, jurisdictionID: "j", kind: .newsOffice),
        AgencyNode(id: "dept", parentID: nil, jurisdictionID: "j", kind: .department),
        AgencyNode(id: "county", parentID: nil, jurisdictionID: "j", kind: .government),
        AgencyNode(id: "cnews", parentID: "county", jurisdictionID: "j", kind: .newsOffice),
        AgencyNode(id: "cdept", parentID: "county", jurisdictionID: "j", kind: .department),
        AgencyNode(id: "other", parentID: nil, jurisdictionID: "k", kind: .department),
    ])

    func policy(_ role: Role, _ agency: String?) -> AccessPolicy {
        AccessPolicy(actor: Actor(userID: "u", role: role, agencyID: agency), tree: tree)
    }

    func testNewsOfficeSupervisesItsLevelAndBelow() {
        XCTAssertEqual(policy(.newsOffice, "news").visibleAgencies, ["gov", "news", "dept", "county", "cnews", "cdept"])
        XCTAssertEqual(policy(.newsOffice, "cnews").visibleAgencies, ["county", "cnews", "cdept"])
        XCTAssertEqual(tree.supervisingNewsOffice(of: "cdept"), "cnews")
        XCTAssertEqual(tree.supervisingNewsOffice(of: "dept"), "news")
        XCTAssertEqual(tree.supervisingNewsOffice(of: "cnews"), "news")
    }

    func testEditorSeesOwnAgencyOnlyAndDenyByDefault() {
        let editor = policy(.editor, "dept")
        XCTAssertTrue(editor.canSee(agency: "dept"))
        XCTAssertFalse(editor.canSee(agency: "gov"))
        XCTAssertTrue(editor.canEditRoster(of: "dept"))
        XCTAssertFalse(editor.canReviewFiling(of: "dept"))
        XCTAssertFalse(editor.canPublishEdition(for: "j"))
        XCTAssertFalse(editor.canReadAudit)
        let auditor = policy(.auditor, nil)
        XCTAssertTrue(auditor.canSee(agency: "other"))
        XCTAssertFalse(auditor.canEditRoster(of: "other"))
        XCTAssertTrue(auditor.canReadAudit)
        XCTAssertFalse(policy(.approver, "gov").canEditRoster(of: "gov"))
    }

    func testOnlyTheTopNewsOfficePublishesAndNobodyReviewsOwnFiling() {
        XCTAssertTrue(policy(.newsOffice, "news").canPublishEdition(for: "j"))
        XCTAssertFalse(policy(.newsOffice, "cnews").canPublishEdition(for: "j"))
        XCTAssertFalse(policy(.newsOffice, "news").canPublishEdition(for: "k"))
        XCTAssertFalse(policy(.newsOffice, "news").canReviewFiling(of: "news"))
        XCTAssertTrue(policy(.newsOffice, "news").canReviewFiling(of: "cnews"))
    }
}
