@testable import App
import Core
import Fluent
import Foundation
import Vapor
import XCTest
import XCTVapor

/// The staff pages of release activities: list, inbox, calendar and the record, the create form,
/// a review decision and an upload through the web, CSRF and scope.
final class ReleaseWebTests: XCTestCase {
    static let wulongConference = "武隆区2027年重大项目建设情况新闻发布会"
    static let huludaoConference = "葫芦岛市今冬明春能源保供工作新闻发布会"

    func testPagesRenderForTheNewsOfficeAndTheEditor() async throws {
        try await withApp { app, _ in
            // setup
            let record = try await app.releaseActivity(Self.wulongConference)
            let news = Browser(app)
            try await news.login("wulong-news")
            // act + check: the news office sees the application waiting for its review.
            let list = try await news.get("/admin/activities")
            XCTAssertEqual(list.status, .ok)
            let written = try await app.releaseActivity("关于2027年春季学期中小学报名工作的通告")
            // Sorted by time, where SQLite and PostgreSQL place an activity without one differently.
            XCTAssertEqual(Set(ReleasePageHTML.links(list.body.string, under: "/admin/activities/")),
                           ["/admin/activities/\(record.id!)", "/admin/activities/\(written.id!)"])
            let inbox = try await news.get("/admin/inbox")
            XCTAssertEqual(inbox.status, .ok)
            let rows = ReleasePageHTML.rows(inbox.body.string)
            XCTAssertEqual(rows.count, 1, "\(rows)")
            XCTAssertTrue(rows.first?.contains(Self.wulongConference) ?? false)
            XCTAssertTrue(rows.first?.contains("新闻办审核申报") ?? false)
            let calendar = try await news.get("/admin/activities/calendar?month=2026-12")
            XCTAssertEqual(calendar.status, .ok)
            XCTAssertEqual(ReleasePageHTML.links(calendar.body.string, under: "/admin/activities/"), ["/admin/activities/\(record.id!)"])
            try await expectStatus(try await news.get("/admin/activities/calendar?month=garbage"), .ok)
            let page = try await news.get("/admin/activities/\(record.id!)")
            XCTAssertEqual(page.status, .ok)
            let actions = ReleasePageHTML.postActions(page.body.string)
            XCTAssertTrue(actions.contains("/admin/activities/\(record.id!)/review"), "\(actions)")
            XCTAssertFalse(actions.contains("/admin/activities/\(record.id!)/submit"), "the reviewer does not submit")
            XCTAssertTrue(page.body.string.contains("本单位审签同意"), "the timeline names each step")
            let dashboard = try await news.get("/admin").body.string
            XCTAssertTrue(dashboard.contains(#"<span class="num">1</span><span>待办发布事项</span>"#))

            // The editor of the agency sees its own record, without the review form, and may create.
            let editor = Browser(app)
            try await editor.login("wulong-fgw")
            let own = try await editor.get("/admin/activities/\(record.id!)")
            XCTAssertEqual(own.status, .ok)
            let editorActions = ReleasePageHTML.postActions(own.body.string)
            XCTAssertFalse(editorActions.contains("/admin/activities/\(record.id!)/review"))
            XCTAssertTrue(editorActions.contains("/admin/activities/\(record.id!)/withdraw"))
            let editorList = try await editor.get("/admin/activities")
            XCTAssertTrue(ReleasePageHTML.postActions(editorList.body.string).contains("/admin/activities"), "the create form")
            XCTAssertEqual(ReleasePageHTML.links(editorList.body.string, under: "/admin/activities/"), ["/admin/activities/\(record.id!)"])
            try await expectStatus(try await editor.get("/admin/inbox"), .ok)
            try await expectStatus(try await editor.get("/admin/activities/calendar"), .ok)
            // A leader who only approves is not offered the create form.
            let leader = Browser(app)
            try await leader.login("wulong-leader")
            let leaderList = try await leader.get("/admin/activities").body.string
            XCTAssertFalse(ReleasePageHTML.postActions(leaderList).contains("/admin/activities"))
        }
    }

    func testCreateThroughTheWebForm() async throws {
        try await withApp { app, _ in
            // setup
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            let b = Browser(app)
            try await b.login("wulong-fgw")
            let listPage = try await b.get("/admin/activities").body.string
            let token = try XCTUnwrap(Browser.csrf(in: listPage))
            var form = ["_csrf": token, "agencyId": agency.id!.uuidString, "title": "武隆区冬季旅游季新闻发布会", "form": "pressConference",
                        "category": "majorEvent", "conferenceClass": "thematic", "organiser": "selfHeld", "level": "newsOffice",
                        "major": "on", "startsAt": "2026-12-40 10:00", "venue": "", "media": "重庆日报", "summary": "<b>冬季</b>旅游"]
            // act: a bad time is refused and the form keeps what was typed
            let refused = try await b.post("/admin/activities", form: form)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertEqual(ReleasePageHTML.inputValue(refused.body.string, id: "f-title"), "武隆区冬季旅游季新闻发布会")
            XCTAssertTrue(refused.body.string.contains("时间格式应为"))
            XCTAssertTrue(refused.body.string.contains("&lt;b&gt;冬季&lt;/b&gt;旅游"), "typed text is escaped")
            try await expectCount(ReleaseActivityModel.query(on: app.db).filter(\.$title == "武隆区冬季旅游季新闻发布会"), 0)
            form["startsAt"] = "2026-12-28 10:00"
            let created = try await b.post("/admin/activities", form: form)
            // check
            XCTAssertEqual(created.status, .seeOther, created.body.string)
            let a = try await app.releaseActivity("武隆区冬季旅游季新闻发布会")
            XCTAssertEqual(created.headers.first(name: .location), "/admin/activities/\(a.id!)?done=created")
            XCTAssertEqual(a.stageValue, .draft)
            XCTAssertTrue(a.major)
            XCTAssertEqual(a.venue, "武隆区新闻发布中心（区融媒体中心二楼）", "a blank venue is the press centre (001 §15(五))")
            let page = try await b.get("/admin/activities/\(a.id!)?done=created")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.string.contains("已创建发布活动"))
            XCTAssertTrue(ReleasePageHTML.postActions(page.body.string).contains("/admin/activities/\(a.id!)/submit"))
        }
    }

    func testReviewDecisionAndUploadThroughTheWeb() async throws {
        try await withApp { app, _ in
            // setup
            let record = try await app.releaseActivity(Self.wulongConference)
            let path = "/admin/activities/\(record.id!)"
            let news = Browser(app)
            try await news.login("wulong-news")
            let reviewPage = try await news.get(path).body.string
            let token = try XCTUnwrap(Browser.csrf(in: reviewPage))
            // act: a return without a comment is refused, keeping the per-document comment
            let refused = try await news.post(path + "/review", form: ["_csrf": token, "decision": "return",
                                                                       "documentComments[statement]": "第二段数据需核实"])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains("意见不能为空"))
            XCTAssertTrue(refused.body.string.contains(">第二段数据需核实</textarea>"))
            let returned = try await news.post(path + "/review", form: ["_csrf": token, "decision": "return", "comment": "请核实数据",
                                                                        "documentComments[statement]": "第二段数据需核实"])
            // check
            XCTAssertEqual(returned.status, .seeOther, returned.body.string)
            let afterReturn = try await app.releaseActivity(Self.wulongConference)
            XCTAssertEqual(afterReturn.stageValue, .returned)
            let review = try await ActivityDecisionModel.query(on: app.db).filter(\.$activityID == record.id!)
                .filter(\.$kind == "review").first()
            let decision = try XCTUnwrap(review)
            XCTAssertTrue(decision.documentComments.contains("第二段数据需核实"))

            // The editor uploads a document as multipart; it downloads as an attachment.
            let editor = Browser(app)
            try await editor.login("wulong-fgw")
            let editorPage = try await editor.get(path).body.string
            let editorToken = try XCTUnwrap(Browser.csrf(in: editorPage))
            let boundary = "fabu-release-test"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(editorToken)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nbackground\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"背景材料.txt\"\r\nContent-Type: text/plain\r\n\r\n背景材料：数据已核实。\r\n"
            body += "--\(boundary)--\r\n"
            var headers = editor.cookieHeader
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let uploaded = try await app.sendRequest(.POST, path + "/documents", headers: headers, body: ByteBuffer(string: body))
            XCTAssertEqual(uploaded.status, .seeOther, uploaded.body.string)
            let stored = try await ActivityDocumentModel.query(on: app.db).filter(\.$activityID == record.id!)
                .filter(\.$kind == "background").first()
            let doc = try XCTUnwrap(stored)
            XCTAssertEqual(doc.filename, "背景材料.txt")
            let download = try await editor.get(path + "/documents/\(doc.id!)")
            XCTAssertEqual(download.status, .ok)
            XCTAssertEqual(download.body.string, "背景材料：数据已核实。")
            XCTAssertTrue(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") ?? false)
        }
    }

    func testPostsWithoutCSRFTokenAreRefused() async throws {
        try await withApp { app, _ in
            // setup
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            let record = try await app.releaseActivity(Self.wulongConference)
            let b = Browser(app)
            try await b.login("wulong-fgw")
            // act
            let create = try await b.post("/admin/activities", form: ["agencyId": agency.id!.uuidString, "title": "伪造的发布活动",
                                                                      "form": "writtenRelease", "category": "other"])
            let withdraw = try await b.post("/admin/activities/\(record.id!)/withdraw", form: ["reason": "伪造", "_csrf": "wrong"])
            // check
            XCTAssertEqual(create.status, .forbidden)
            XCTAssertEqual(withdraw.status, .forbidden)
            try await expectCount(ReleaseActivityModel.query(on: app.db).filter(\.$title == "伪造的发布活动"), 0)
            let untouched = try await app.releaseActivity(Self.wulongConference)
            XCTAssertEqual(untouched.stageValue, .review)
            try await expectCount(AuditEventModel.query(on: app.db).filter(\.$action == "csrf.rejected"), 2)
        }
    }

    func testAnotherJurisdictionsRecordAnswers404() async throws {
        try await withApp { app, _ in
            // setup
            let foreign = try await app.releaseActivity(Self.huludaoConference)
            let stored = try await ActivityDocumentModel.query(on: app.db).filter(\.$activityID == foreign.id!).first()
            let doc = try XCTUnwrap(stored)
            for user in ["wulong-news", "wulong-fgw"] {
                let b = Browser(app)
                try await b.login(user)
                let listPage = try await b.get("/admin/activities").body.string
            let token = try XCTUnwrap(Browser.csrf(in: listPage))
                // act + check
                try await expectStatus(try await b.get("/admin/activities/\(foreign.id!)"), .notFound, user)
                try await expectStatus(try await b.get("/admin/activities/\(foreign.id!)/documents/\(doc.id!)"), .notFound, user)
                try await expectStatus(try await b.post("/admin/activities/\(foreign.id!)/withdraw", form: ["_csrf": token, "reason": "越权"]),
                                       .notFound, user)
                try await expectStatus(try await b.get("/admin/activities/\(UUID())"), .notFound, user)
                let list = try await b.get("/admin/activities").body.string
                XCTAssertFalse(list.contains(Self.huludaoConference))
            }
            let after = try await app.releaseActivity(Self.huludaoConference)
            XCTAssertEqual(after.stageValue, .preparing)
        }
    }
}

extension Application {
    func releaseActivity(_ title: String) async throws -> ReleaseActivityModel {
        guard let a = try await ReleaseActivityModel.query(on: db).filter(\.$title == title).first() else {
            throw Abort(.internalServerError, reason: "fixture activity \(title) missing")
        }
        return a
    }
}

/// Reads the parts of a page these tests check: form targets, links, table rows, input values.
enum ReleasePageHTML {
    static func matches(_ pattern: String, in html: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        return re.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { m in
            Range(m.range(at: 1), in: html).map { String(html[$0]) }
        }
    }

    /// The targets of the page's POST forms, in order.
    static func postActions(_ html: String) -> [String] {
        matches(#"<form method="post" action="([^"]+)""#, in: html)
    }

    /// Distinct links to records (`/admin/activities/<uuid>`), in order of appearance.
    static func links(_ html: String, under prefix: String) -> [String] {
        var seen: [String] = []
        for l in matches(#"href="(\#(NSRegularExpression.escapedPattern(for: prefix))[0-9A-Fa-f-]{36})""#, in: html) where !seen.contains(l) {
            seen.append(l)
        }
        return seen
    }

    /// The rows of the page's first table body.
    static func rows(_ html: String) -> [String] {
        guard let body = matches("<tbody>(.*?)</tbody>", in: html).first else { return [] }
        return matches("<tr[^>]*>(.*?)</tr>", in: body)
    }

    static func inputValue(_ html: String, id: String) -> String? {
        matches(#"<input id="\#(id)"[^>]*? value="([^"]*)""#, in: html).first
    }
}
