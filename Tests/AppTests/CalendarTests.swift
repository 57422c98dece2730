@testable import App
import Core
import Fluent
import Vapor
import XCTest
import XCTVapor

/// The calendar and profiles over HTTP: answers with explanations, uncertainty, loading a new
/// year's notice, local adjustments in scope, and the dashboard warning (issue #3).
final class CalendarAPITests: XCTestCase {
    static let notice2027 = #"""
    {"year": 2027, "notices": [{"number": "国办发明电〔2026〕99号", "title": "测试：2027年部分节假日安排", "date": "2026-11-10"}],
     "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}], "workdays": []}
    """#

    func testAddWorkingDaysExplainsAndMarksUncertainYears() async throws {
        try await withApp { app, _ in
            let news = try await app.bearer("wulong-news")
            // act
            let res = try await app.api(.GET, "/api/v1/calendar/add-working-days?from=2026-09-28&days=5", as: news)
            // check
            XCTAssertEqual(res.status, .ok, res.body.string)
            let r = try res.content.decode(WorkingDayCountDTO.self)
            XCTAssertEqual(r.date, "2026-10-10")
            XCTAssertEqual(r.weekday, "星期六")
            XCTAssertTrue(r.certain)
            XCTAssertEqual(r.passed.map(\.kind), ["法定节假日", "调休上班"])
            XCTAssertEqual(r.passed.first?.source, "国办发明电〔2025〕7号")

            let late = try await app.api(.GET, "/api/v1/calendar/add-working-days?from=2026-12-28&days=5", as: news)
                .content.decode(WorkingDayCountDTO.self)
            XCTAssertEqual(late.date, "2027-01-04")
            XCTAssertFalse(late.certain)
            XCTAssertEqual(late.uncertainYears, [2027])

            let range = try await app.api(.GET, "/api/v1/calendar?from=2026-10-01&to=2026-10-10", as: news).content.decode(CalendarRangeDTO.self)
            XCTAssertEqual(range.days.count, 10)
            XCTAssertEqual(range.workingDays, 3)
            XCTAssertEqual(range.days.last?.kind, "调休上班")
        }
    }

    func testBadCalendarQueriesNameTheField() async throws {
        try await withApp { app, _ in
            let news = try await app.bearer("wulong-news")
            let cases: [(String, HTTPStatus, String?)] = [
                ("/api/v1/calendar/add-working-days?from=2026-13-01&days=5", .unprocessableEntity, "from"),
                ("/api/v1/calendar/add-working-days?from=2026-10-01&days=abc", .unprocessableEntity, "days"),
                ("/api/v1/calendar/add-working-days?from=2026-10-01", .unprocessableEntity, "days"),
                ("/api/v1/calendar?from=2026-10-10&to=2026-10-01", .unprocessableEntity, "to"),
                ("/api/v1/calendar?from=2000-01-01&to=2026-10-01", .unprocessableEntity, "to"),
                ("/api/v1/calendar/add-working-days?from=2026-10-01&days=1&jurisdiction=huludao", .notFound, nil),
                ("/api/v1/profiles/nowhere", .notFound, nil),
            ]
            for (path, status, field) in cases {
                let res = try await app.api(.GET, path, as: news)
                XCTAssertEqual(res.status, status, "\(path): \(res.body.string)")
                let body = try res.content.decode(FabuErrorMiddleware.Body.self)
                if let field { XCTAssertNotNil(body.fields[field], "\(path): \(body.fields)") }
            }
        }
    }

    func testOnlyAdminLoadsANoticeAndItMakesDatesCertain() async throws {
        try await withApp { app, _ in
            let news = try await app.bearer("wulong-news"), admin = try await app.bearer("admin")
            try await expectStatus(try await app.api(.POST, "/api/v1/calendar/notices", as: news, json: Self.notice2027), .forbidden)
            // A broken file is refused whole, naming the entry.
            let broken = Self.notice2027.replacingOccurrences(of: #""workdays": []"#, with: #""workdays": [{"date": "2027-01-06", "name": "元旦"}]"#)
            let refused = try await app.api(.POST, "/api/v1/calendar/notices", as: admin, json: broken)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains("星期三"), refused.body.string)
            try await expectCount(HolidayNoticeModel.query(on: app.db), 0)
            // act
            try await expectStatus(try await app.api(.POST, "/api/v1/calendar/notices", as: admin, json: Self.notice2027), .created)
            // check
            let r = try await app.api(.GET, "/api/v1/calendar/add-working-days?from=2026-12-31&days=1", as: news).content.decode(WorkingDayCountDTO.self)
            XCTAssertEqual(r.date, "2027-01-04")
            XCTAssertTrue(r.certain)
            let status = try await app.api(.GET, "/api/v1/calendar/notices", as: news).content.decode(CalendarStatusDTO.self)
            XCTAssertEqual(status.lastYear, 2027)
            XCTAssertNil(status.warning)
            try await expectCount(AuditEventModel.query(on: app.db).filter(\.$action == "calendar.notice.load"), 1)
        }
    }

    func testLocalAdjustmentsAreScopedToTheirJurisdiction() async throws {
        try await withApp { app, _ in
            let news = try await app.bearer("wulong-news"), editor = try await app.bearer("wulong-fgw"), other = try await app.bearer("huludao-news")
            let body = #"{"date": "2026-12-07", "kind": "dayOff", "name": "测试节", "source": "测试文件〔2026〕1号"}"#
            try await expectStatus(try await app.api(.POST, "/api/v1/calendar/adjustments?jurisdiction=wulong", as: editor, json: body), .forbidden)
            try await expectStatus(try await app.api(.POST, "/api/v1/calendar/adjustments?jurisdiction=wulong", as: other, json: body), .notFound)
            let bad = try await app.api(.POST, "/api/v1/calendar/adjustments?jurisdiction=wulong", as: news, json: #"{"date": "2026-12-07", "kind": "holiday"}"#)
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.string.contains("kind") && bad.body.string.contains("name"), bad.body.string)
            // act
            let created = try await app.api(.POST, "/api/v1/calendar/adjustments?jurisdiction=wulong", as: news, json: body)
            XCTAssertEqual(created.status, .created, created.body.string)
            // check: Friday 12-04 + 1 skips the local day off in wulong only.
            let wulong = try await app.api(.GET, "/api/v1/calendar/add-working-days?from=2026-12-04&days=1&jurisdiction=wulong", as: news)
                .content.decode(WorkingDayCountDTO.self)
            XCTAssertEqual(wulong.date, "2026-12-08")
            XCTAssertEqual(wulong.passed.first?.local, true)
            let national = try await app.api(.GET, "/api/v1/calendar/add-working-days?from=2026-12-04&days=1", as: news).content.decode(WorkingDayCountDTO.self)
            XCTAssertEqual(national.date, "2026-12-07")
            let id = try created.content.decode(CalendarAdjustmentDTO.self).id
            try await expectStatus(try await app.api(.DELETE, "/api/v1/calendar/adjustments/\(id)", as: other), .notFound)
            try await expectStatus(try await app.api(.DELETE, "/api/v1/calendar/adjustments/\(id)", as: news), .noContent)
            try await expectCount(AuditEventModel.query(on: app.db).filter(\.$action ~~ ["calendar.adjustment.add", "calendar.adjustment.remove"]), 2)
        }
    }

    func testProfilesAreReadableWithCitations() async throws {
        try await withApp { app, _ in
            let editor = try await app.bearer("wulong-fgw")
            let list = try await app.api(.GET, "/api/v1/profiles", as: editor).content.decode([ProfileSummaryDTO].self)
            XCTAssertEqual(list.map(\.id), ["dayao", "huludao", "luan", "wulong"])
            let p = try await app.api(.GET, "/api/v1/profiles/huludao", as: editor).content.decode(ProfileDetailDTO.self)
            let lead = try XCTUnwrap(p.rules.first { $0.key == "conference.applicationLeadWorkingDays" })
            XCTAssertEqual(lead.value, "7 个工作日")
            XCTAssertEqual(lead.source, "003 §31(一)")
            XCTAssertEqual(p.profile.conference.reviewWorkingDays.value, 2)
        }
    }

    func testDashboardWarnsFromNovemberUntilNextYearIsLoaded() async throws {
        try await withApp { app, clock in
            let admin = Browser(app)
            try await admin.login("admin")
            let warned = try await admin.get("/admin").body.string
            XCTAssertTrue(warned.contains("2027 年的放假安排尚未载入"))
            // An editor, who does not count deadlines for others, is not warned.
            let editor = Browser(app)
            try await editor.login("wulong-fgw")
            let editorPage = try await editor.get("/admin").body.string
            XCTAssertFalse(editorPage.contains("放假安排尚未载入"))
            // Loading the notice through the web form ends the warning.
            let page = try await admin.get("/admin/calendar")
            let token = try XCTUnwrap(Browser.csrf(in: page.body.string))
            let boundary = "fabu-test-boundary"
            var body = ""
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(token)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2027.json\"\r\nContent-Type: application/json\r\n\r\n\(Self.notice2027)\r\n"
            body += "--\(boundary)--\r\n"
            var headers = admin.cookieHeader
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let res = try await app.sendRequest(.POST, "/admin/calendar/notices", headers: headers, body: ByteBuffer(string: body))
            XCTAssertEqual(res.status, .seeOther, res.body.string)
            let after = try await admin.get("/admin").body.string
            XCTAssertFalse(after.contains("放假安排尚未载入"))
            // Before 1 November there is no warning about the next year (tested on the status itself).
            clock.advance(-60 * 86400)
            let status = try await CalendarService(db: app.db, app: app, audit: .system("test", now: clock.now)).status()
            XCTAssertEqual(status.today.month, 9)
            XCTAssertNil(status.missingNextYear)
        }
    }

    func testCalendarAndProfilePagesRender() async throws {
        try await withApp { app, _ in
            let b = Browser(app)
            try await b.login("wulong-news")
            let cal = try await b.get("/admin/calendar?from=2026-09-28&days=5&month=2026-10")
            XCTAssertEqual(cal.status, .ok)
            XCTAssertTrue(cal.body.string.contains("2026-10-10"))
            XCTAssertTrue(cal.body.string.contains("添加本地调整"))
            XCTAssertFalse(cal.body.string.contains("载入新一年的放假安排"), "only the admin loads notices")
            let bad = try await b.get("/admin/calendar?from=2026-02-30&days=5")
            XCTAssertTrue(bad.body.string.contains("起始日期"), "a bad date is named, not a 500")
            let profile = try await b.get("/admin/profiles/huludao")
            XCTAssertEqual(profile.status, .ok)
            XCTAssertTrue(profile.body.string.contains("003 §31(一)"))
            try await expectStatus(try await b.get("/admin/profiles/nowhere"), .notFound)
            // The edges of the supported years answer a page, never a crash.
            for month in ["1900-01", "2999-12", "0000-00"] {
                try await expectStatus(try await b.get("/admin/calendar?month=\(month)"), .ok, month)
            }
            // October 2026 starts on a Thursday: three blank cells before the 1st.
            let october = try await b.get("/admin/calendar?month=2026-10").body.string
            let firstRow = try XCTUnwrap(october.components(separatedBy: "<table class=\"month\">").last?
                .components(separatedBy: "<tbody>").dropFirst().first?.components(separatedBy: "</tr>").first)
            XCTAssertEqual(firstRow.components(separatedBy: "<td class=\"blank\">").count - 1, 3, firstRow)
            // A refused adjustment keeps what was typed.
            let token = try XCTUnwrap(Browser.csrf(in: october))
            let refused = try await b.post("/admin/calendar/adjustments", form: ["_csrf": token, "jurisdiction": "wulong", "date": "2026-12-07",
                                                                             "kind": "workday", "name": "", "source": "某某文件"])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertTrue(html.contains("名称不能为空"))
            XCTAssertTrue(html.contains(#"value="2026-12-07""#) && html.contains(#"value="某某文件""#), "the form keeps its values")
            XCTAssertTrue(html.contains(#"<option value="workday" selected>"#))
        }
    }
}
