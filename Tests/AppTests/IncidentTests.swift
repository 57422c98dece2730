@testable import App
import Core
import Fluent
import Vapor
import XCTest
import XCTVapor

/// Emergency incidents over the API: hour clocks from occurrence, clocks started by new facts,
/// the first-release checklist, warnings, the fast-path conference, scope (issue #5).
final class IncidentTests: XCTestCase {
    func post(_ app: Application, _ h: HTTPHeaders, _ path: String, _ json: String, _ status: HTTPStatus = .ok,
              file: StaticString = #filePath, line: UInt = #line) async throws -> XCTHTTPResponse {
        let res = try await app.api(.POST, path, as: h, json: json)
        XCTAssertEqual(res.status, status, "\(path): \(res.body.string.prefix(500))", file: file, line: line)
        return res
    }

    func testAnIncidentRegisteredFourHoursLateShowsOneHourLeftAndCasualtiesStartTheConferenceClock() async throws {
        try await withApp { app, clock in
            // setup: an accident at 06:00, registered at 10:00 by the district news office.
            let news = try await app.bearer("wulong-news")
            let agency = try await app.agency("wulong", "区应急管理局")
            // act
            var res = try await post(app, news, "/api/v1/incidents", """
            {"agencyId": "\(agency.id!)", "title": "白马镇道路塌方", "type": "accident", "level": "general",
             "occurredAt": "2026-11-21 06:00", "place": "白马镇G65沿线", "dead": 1, "injured": 3}
            """, .created)
            var i = try res.content.decode(IncidentDTO.self)
            // check: 001 §13(四) — 5 hours from occurrence, so one hour is left, amber.
            XCTAssertEqual(i.clocks.map(\.deadline.kind), ["firstRelease"])
            XCTAssertEqual(i.clocks[0].secondsLeft, 3600)
            XCTAssertEqual(i.clocks[0].status, "amber")
            XCTAssertEqual(i.clocks[0].deadline.dueAt, testNow.addingTimeInterval(3600))
            XCTAssertEqual(i.releaser, "localGovernment", "一般 → 事发地政府 (001 §13(四))")
            XCTAssertEqual(i.checklistMissing, ["现场情况", "已采取的措施"])

            // Raising the casualty figures starts the 24-hour conference clock (from occurrence).
            res = try await app.api(.PATCH, "/api/v1/incidents/\(i.id)", as: news, json: #"{"dead": 7, "missing": 4}"#)
            i = try res.content.decode(IncidentDTO.self)
            let conference = try XCTUnwrap(i.clocks.first { $0.deadline.kind == "emergencyConference" })
            XCTAssertEqual(conference.deadline.dueAt, testNow.addingTimeInterval(20 * 3600))
            XCTAssertTrue(conference.reason.contains("重大人员伤亡"), conference.reason)
            XCTAssertTrue(i.timeline.last?.note.contains("启动时限：突发事件新闻发布会时限") ?? false)

            // The first release cannot be marked released while the checklist has holes.
            let refused = try await post(app, news, "/api/v1/incidents/\(i.id)/releases", #"{"kind":"first","summary":"塌方通报"}"#, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains("checklist_incomplete"))
            XCTAssertTrue(refused.body.string.contains("现场情况、已采取的措施"))
            _ = try await app.api(.PATCH, "/api/v1/incidents/\(i.id)", as: news,
                                  json: #"{"scene": "约200立方米土石滑落，2辆车被埋", "measures": "已封闭道路，消防、医疗到场搜救"}"#)
            clock.advance(30 * 60)
            res = try await post(app, news, "/api/v1/incidents/\(i.id)/releases", #"{"kind":"first","summary":"今日6时许，白马镇G65沿线发生塌方……"}"#)
            i = try res.content.decode(IncidentDTO.self)
            XCTAssertEqual(i.clocks.first { $0.deadline.kind == "firstRelease" }?.deadline.state, "met")
            _ = try await post(app, news, "/api/v1/incidents/\(i.id)/releases", #"{"kind":"followUp","summary":"搜救进展：已救出2人"}"#)

            // A warning: issued, updated, lifted.
            res = try await post(app, news, "/api/v1/incidents/\(i.id)/warnings",
                                 #"{"level":"橙色","area":"白马镇G65沿线","advice":"绕行G319"}"#)
            let warning = try XCTUnwrap(try res.content.decode(IncidentDTO.self).warnings.first)
            XCTAssertEqual(warning.state, "issued")
            _ = try await app.api(.PATCH, "/api/v1/incidents/\(i.id)/warnings/\(warning.id)", as: news, json: #"{"level":"黄色"}"#)
            res = try await post(app, news, "/api/v1/incidents/\(i.id)/warnings/\(warning.id)/lift", "{}")
            XCTAssertEqual(try res.content.decode(IncidentDTO.self).warnings.first?.state, "lifted")

            // The emergency conference: fast path (no 10-day lead time); held, it meets the clock.
            res = try await post(app, news, "/api/v1/incidents/\(i.id)/conference", #"{"startsAt":"2026-11-21 16:00"}"#, .created)
            let a = try res.content.decode(ActivityDTO.self)
            XCTAssertEqual(a.conferenceClass, "emergency")
            for kind in ["applicationForm", "workPlan", "statement"] {
                var h = news
                h.contentType = .binary
                let up = try await app.sendRequest(.POST, "/api/v1/activities/\(a.id)/documents?kind=\(kind)&filename=\(kind).txt",
                                                   headers: h, body: ByteBuffer(string: "正文"))
                XCTAssertEqual(up.status, .created, up.body.string)
            }
            _ = try await post(app, news, "/api/v1/activities/\(a.id)/submit", "{}")
            i = try await app.api(.GET, "/api/v1/incidents/\(i.id)", as: news).content.decode(IncidentDTO.self)
            XCTAssertEqual(i.conferences.map(\.id), [a.id])
            try await DemoSeed.holdForTest(app: app, activity: a.id, clock: clock)
            i = try await app.api(.GET, "/api/v1/incidents/\(i.id)", as: try await app.bearer("wulong-news")).content.decode(IncidentDTO.self)
            XCTAssertEqual(i.clocks.first { $0.deadline.kind == "emergencyConference" }?.deadline.state, "met")
        }
    }

    func testOverdueIncidentClocksEscalateAndScopeHolds() async throws {
        try await withApp { app, clock in
            let news = try await app.bearer("huludao-news")
            let agency = try await app.agency("huludao", "市生态环境局")
            // 003 §25: a social-security incident that is major online opinion is due at once.
            let res = try await post(app, news, "/api/v1/incidents", """
            {"agencyId": "\(agency.id!)", "title": "某小区群体性聚集", "type": "socialSecurity", "level": "general",
             "occurredAt": "2026-11-21 09:00", "place": "龙港区", "majorOnlineOpinion": true}
            """, .created)
            let i = try res.content.decode(IncidentDTO.self)
            XCTAssertEqual(i.clocks.first?.deadline.dueAt, testNow.addingTimeInterval(3600), "at once: within the hour")
            XCTAssertEqual(i.clocks.first?.status, "amber")
            XCTAssertEqual(i.releaser, "localGovernment")
            // The news office above hears of it at once (xingcheng-news is a county office: not told).
            let told = try await NotificationModel.query(on: app.db).filter(\.$kind == "incident").all()
            XCTAssertTrue(told.isEmpty, "the registering news office is not told of its own registration")
            let fgwEditor = try await app.bearer("huludao-fgw")
            let agencyFgw = try await app.agency("huludao", "市发展和改革委员会")
            let second = try await post(app, fgwEditor, "/api/v1/incidents", """
            {"agencyId": "\(agencyFgw.id!)", "title": "加油站火情", "type": "accident", "level": "general", "occurredAt": "2026-11-21 09:30"}
            """, .created)
            XCTAssertEqual(second.status, .created)
            let staff0 = try await UserModel.query(on: app.db).filter(\.$username == "huludao-news").first()!
            let newsTold = try await NotificationModel.query(on: app.db).filter(\.$kind == "incident").filter(\.$userID == staff0.id!).count()
            XCTAssertEqual(newsTold, 1)
            // Other jurisdictions and other departments' editors see nothing.
            try await expectStatus(try await app.api(.GET, "/api/v1/incidents/\(i.id)", as: try await app.bearer("wulong-news")), .notFound)
            try await expectStatus(try await app.api(.GET, "/api/v1/incidents/\(i.id)", as: try await app.bearer("huludao-fgw")), .notFound)
            // A mistyped time of occurrence, corrected, moves the clock either way.
            let other = try await post(app, news, "/api/v1/incidents", """
            {"agencyId": "\(agency.id!)", "title": "河道污染", "type": "accident", "level": "general", "occurredAt": "2026-11-21 02:00"}
            """, .created).content.decode(IncidentDTO.self)
            XCTAssertEqual(other.clocks.first?.status, "red")
            let fixed = try await app.api(.PATCH, "/api/v1/incidents/\(other.id)", as: news, json: #"{"occurredAt": "2026-11-21 09:50"}"#)
                .content.decode(IncidentDTO.self)
            XCTAssertEqual(fixed.clocks.first?.deadline.dueAt, testNow.addingTimeInterval(4 * 3600 + 50 * 60))
            XCTAssertTrue(fixed.timeline.last?.note.contains("发生时间更正") ?? false)
            // Reassigning the releaser needs a reason.
            try await expectStatus(try await app.api(.POST, "/api/v1/incidents/\(i.id)/releaser", as: news, json: #"{"releaser":"headquarters"}"#),
                                   .unprocessableEntity)
            _ = try await post(app, news, "/api/v1/incidents/\(i.id)/releaser", #"{"releaser":"headquarters","reason":"已成立现场指挥部"}"#)
            // The scheduler fires the overdue notice once, to the news office, escalated up.
            clock.advance(3600)
            try await DeadlineSweeper(app: app, db: app.db).sweep(now: clock.now)
            try await DeadlineSweeper(app: app, db: app.db).sweep(now: clock.now)
            let staff = try await UserModel.query(on: app.db).filter(\.$username == "huludao-news").first()!
            let notes = try await NotificationModel.query(on: app.db).filter(\.$userID == staff.id!).all()
            XCTAssertEqual(notes.filter { $0.kind == "overdue" }.count, 1)
            XCTAssertTrue(notes[0].link.hasPrefix("/admin/incidents/"))
            // Bad input: a future occurrence, an unknown level, a negative count — named fields, no 500.
            let bad = try await app.api(.POST, "/api/v1/incidents", as: news, json: """
            {"agencyId": "\(agency.id!)", "title": "x", "type": "accident", "level": "huge", "occurredAt": "2026-11-22 09:00", "dead": -1}
            """)
            XCTAssertEqual(bad.status, .unprocessableEntity)
            let body = try bad.content.decode(FabuErrorMiddleware.Body.self)
            XCTAssertEqual(Set(body.fields.keys), ["level", "occurredAt", "dead"])
            // Closing with an open clock needs a reason; afterwards nothing more can be done.
            try await expectStatus(try await app.api(.POST, "/api/v1/incidents/\(i.id)/close", as: news, json: "{}"), .unprocessableEntity)
            _ = try await post(app, news, "/api/v1/incidents/\(i.id)/close", #"{"reason":"事态平息，已由公安机关处置"}"#)
            try await expectStatus(try await app.api(.PATCH, "/api/v1/incidents/\(i.id)", as: news, json: #"{"dead":1}"#), .conflict)
        }
    }
}

extension DemoSeed {
    /// Test helper: carries an emergency conference from sign-off to held, as its people would.
    static func holdForTest(app: Application, activity id: UUID, clock: TestClock) async throws {
        let tree = AgencyTree(try await AgencyModel.query(on: app.db).all().map(\.node))
        func service(_ username: String) async throws -> ReleaseService {
            let u = try await UserModel.query(on: app.db).filter(\.$username == username).first()!
            return ReleaseService(db: app.db, app: app, user: u, access: AccessPolicy(actor: u.actor, tree: tree),
                                  audit: .system(username, now: clock.now))
        }
        // The agency is 区应急管理局: give it a principal account for the sign-off and approval.
        let agency = try await AgencyModel.query(on: app.db).filter(\.$name == "区应急管理局").first()!
        let principal = UserModel(username: "wulong-yjj-head", displayName: "邓强", passwordHash: "x", role: .approver, agencyID: agency.id)
        principal.offices = [.agencyPrincipal]
        try await principal.create(on: app.db)
        let boss = try await service("wulong-yjj-head")
        _ = try await boss.signOff(id, DecisionInput(decision: "approve", comment: nil))
        // The news office created it, so a colleague reviews it (nobody reviews their own).
        let office = try await AgencyModel.query(on: app.db).filter(\.$name == "区政府新闻办").first()!
        try await UserModel(username: "wulong-news-2", displayName: "刘洋", passwordHash: "x", role: .newsOffice, agencyID: office.id).create(on: app.db)
        _ = try await (try await service("wulong-news-2")).review(id, DecisionInput(decision: "approve", comment: nil))
        // Government-level, and marked major when the incident is: climb the whole chain.
        var a = try await ReleaseActivityModel.find(id, on: app.db)!
        for user in ["wulong-yjj-head", "wulong-leader", "wulong-mayor"] where a.stageValue == .approval {
            _ = try await (try await service(user)).approve(id, DecisionInput(decision: "approve", comment: nil))
            a = try await ReleaseActivityModel.find(id, on: app.db)!
        }
        let news = try await service("wulong-news")
        _ = try await news.assess(id, AssessmentInput(kind: "confidentiality", outcome: "passed", reviewer: "刘洋", comment: nil))
        _ = try await news.assess(id, AssessmentInput(kind: "stability", outcome: "passed", reviewer: "刘洋", comment: nil))
        let host = try await PersonModel.query(on: app.db).filter(\.$name == "王晓燕").first()!
        let main = try await PersonModel.query(on: app.db).filter(\.$name == "周建国").first()!
        _ = try await news.setParticipants(id, ParticipantsInput(participants: [
            ParticipantInput(role: "host", personId: host.id), ParticipantInput(role: "mainSpeaker", personId: main.id)]))
        _ = try await news.setProgramme(id, ProgrammeInput(segments: [SegmentInput(kind: "statement", minutes: 15), SegmentInput(kind: "qa", minutes: 15)]))
        _ = try await news.schedule(id)
        clock.advance(6 * 3600)
        _ = try await (try await service("wulong-news")).hold(id, HoldInput())
    }
}
