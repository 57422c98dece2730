@testable import App
import Core
import Fluent
import Vapor
import XCTest
import XCTVapor

/// 记者采访申请 from the portal: checked whole, guarded by a server-side question and a rate
/// limit, and delivered to the news office's inbox only (issue #6; SPEC R9.1).
final class InterviewTests: XCTestCase {
    /// The form's one-time token and the answer to its question.
    func challenge(_ html: String) throws -> (token: String, answer: String) {
        let token = try XCTUnwrap(html.firstMatch(of: /name="token" value="([^"]+)"/)?.1)
        let q = try XCTUnwrap(html.firstMatch(of: /验证题：(\d+) 加 (\d+) 等于几？/))
        return (String(token), String(Int(q.1)! + Int(q.2)!))
    }

    func good(_ token: String, _ answer: String, subject: String = "采访区发改委关于营商环境的政策") -> [String: String] {
        ["name": "张记者", "outlet": "重庆日报", "pressCard": "B50001234567890", "contact": "023-12345678", "subject": subject,
         "wishedFrom": "2026-11-25", "wishedTo": "2026-11-27", "token": token, "answer": answer]
    }

    func testARequestReachesTheNewsOfficeInboxOnly() async throws {
        try await withApp { app, clock in
            let reporter = Browser(app)
            let page = try await reporter.get("/j/wulong/interview")
            XCTAssertEqual(page.status, .ok)
            XCTAssertEqual(page.headers.first(name: .cacheControl), "no-store", "a one-time question is never cached")
            var (token, answer) = try challenge(page.body.string)

            // Everything wrong at once: each field named, what was typed kept, the question renewed.
            let bad = try await reporter.post("/j/wulong/interview", form: [
                "name": "", "outlet": "<b>晚报</b>", "pressCard": "12", "contact": "打电话", "subject": "", "wishedFrom": "2026-11-01",
                "wishedTo": "2026-10-01", "agency": UUID().uuidString, "token": token, "answer": "999"])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            let html = bad.body.string
            for message in ["记者姓名不能为空", "记者证号应为6到30位字母或数字", "联系电话或电子邮箱无效", "采访主题不能为空",
                            "希望采访日期不能早于今天", "采访对象单位无效", "答案不正确"] {
                XCTAssertTrue(html.contains(message), message)
            }
            XCTAssertTrue(html.contains("&lt;b&gt;晚报&lt;/b&gt;"), "typed text kept, escaped")
            try await expectCount(InterviewRequestModel.query(on: app.db), 0, "nothing written")

            // A good request, for an agency of wulong.
            (token, answer) = try challenge(html)
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            var form = good(token, answer)
            form["agency"] = agency.id!.uuidString
            // A question shown to another browser (no cookie of it here) is refused.
            let stranger = Browser(app)
            let elsewhere = try await stranger.post("/j/wulong/interview", form: form)
            XCTAssertEqual(elsewhere.status, .unprocessableEntity)
            XCTAssertTrue(elsewhere.body.string.contains("验证题已失效"), elsewhere.body.string)

            let ok = try await reporter.post("/j/wulong/interview", form: form)
            XCTAssertEqual(ok.status, .seeOther, ok.body.string)
            let receipt = try XCTUnwrap(ok.headers.first(name: .location))
            XCTAssertTrue(receipt.hasPrefix("/j/wulong/interview?received="), receipt)
            let confirmed = try await reporter.get(receipt)
            XCTAssertTrue(confirmed.body.string.contains("已收到您的采访申请"))
            let saved = try await InterviewRequestModel.query(on: app.db).all()
            XCTAssertEqual(saved.map(\.pressCard), ["B50001234567890"])
            let office = try await app.agency("wulong", "区政府新闻办")
            XCTAssertEqual(saved.first?.officeID, office.id)

            // The same question again is refused: a token admits one request.
            let replayer = Browser(app)
            replayer.cookies = reporter.cookies
            replayer.cookies["fabu_question"] = String(token.split(separator: ".")[3])
            let replay = try await replayer.post("/j/wulong/interview", form: form)
            XCTAssertEqual(replay.status, .unprocessableEntity)
            XCTAssertTrue(replay.body.string.contains("验证题已用过"), replay.body.string)

            // The wulong news office is told and sees it; huludao's does not; an editor may not look.
            let news = try await app.bearer("wulong-news")
            let notices = try await app.api(.GET, "/api/v1/notifications", as: news)
            XCTAssertTrue(notices.body.string.contains("记者采访申请：重庆日报 张记者"), notices.body.string)
            let wulong = Browser(app)
            try await wulong.login("wulong-news")
            let seen = try await wulong.get("/admin/interviews").body.string
            XCTAssertTrue(seen.contains("B50001234567890"))
            let huludao = Browser(app)
            try await huludao.login("huludao-news")
            let other = try await huludao.get("/admin/interviews").body.string
            XCTAssertFalse(other.contains("B50001234567890"))
            let editor = Browser(app)
            try await editor.login("wulong-fgw")
            try await expectStatus(try await editor.get("/admin/interviews"), .forbidden)

            // Handled, with a note: only by its office, once.
            let inbox = try await wulong.get("/admin/interviews")
            let csrf = try XCTUnwrap(Browser.csrf(in: inbox.body.string))
            let id = saved[0].id!
            let hcsrf = try XCTUnwrap(Browser.csrf(in: other))
            try await expectStatus(try await huludao.post("/admin/interviews/\(id)/handled", form: ["_csrf": hcsrf, "note": "x"]), .notFound)
            let empty = try await wulong.post("/admin/interviews/\(id)/handled", form: ["_csrf": csrf, "note": ""])
            XCTAssertEqual(empty.status, .unprocessableEntity)
            XCTAssertTrue(empty.body.string.contains("办理情况不能为空"))
            let done = try await wulong.post("/admin/interviews/\(id)/handled", form: ["_csrf": csrf, "note": "已安排11月26日采访"])
            XCTAssertEqual(done.status, .seeOther)
            let after = try await InterviewRequestModel.find(id, on: app.db)
            XCTAssertEqual(after?.state, "handled")
            XCTAssertEqual(after?.handledNote, "已安排11月26日采访")
            try await expectCount(AuditEventModel.query(on: app.db).filter(\.$action ~~ ["interview.request", "interview.handled"]), 2)
            let trail = try await AuditEventModel.query(on: app.db).filter(\.$action == "interview.request").all()
            XCTAssertFalse(trail.contains { ($0.after ?? "").contains("张记者") }, "the append-only trail keeps no personal details")
            _ = clock
        }
    }

    func testTheQuestionExpiresAndOneAddressIsLimited() async throws {
        try await withApp { app, clock in
            let reporter = Browser(app)
            // A question answered after 30 minutes is refused.
            var (token, answer) = try challenge(try await reporter.get("/j/huludao/interview").body.string)
            clock.advance(31 * 60)
            let late = try await reporter.post("/j/huludao/interview", form: good(token, answer))
            XCTAssertEqual(late.status, .unprocessableEntity)
            XCTAssertTrue(late.body.string.contains("已超过30分钟"))
            // A forged token is refused.
            let forged = try await reporter.post("/j/huludao/interview", form: good("3.4.9999999999.00112233445566778899aabbccddeeff.00", "7"))
            XCTAssertEqual(forged.status, .unprocessableEntity)
            XCTAssertTrue(forged.body.string.contains("验证题已失效"))

            // Three an hour from one address; the fourth is answered 429 with the rule.
            for i in 1...3 {
                (token, answer) = try challenge(try await reporter.get("/j/huludao/interview").body.string)
                let res = try await reporter.post("/j/huludao/interview", form: good(token, answer, subject: "第\(i)次申请"))
                XCTAssertEqual(res.status, .seeOther, res.body.string)
            }
            (token, answer) = try challenge(try await reporter.get("/j/huludao/interview").body.string)
            let fourth = try await reporter.post("/j/huludao/interview", form: good(token, answer, subject: "第4次申请"))
            XCTAssertEqual(fourth.status, .tooManyRequests)
            XCTAssertTrue(fourth.body.string.contains("每小时最多提交3份"))
            XCTAssertTrue(fourth.body.string.contains("第4次申请"), "what was typed is kept")
            // An hour later it is accepted again.
            clock.advance(3601)
            (token, answer) = try challenge(try await reporter.get("/j/huludao/interview").body.string)
            let later = try await reporter.post("/j/huludao/interview", form: good(token, answer, subject: "一小时后"))
            XCTAssertEqual(later.status, .seeOther, later.body.string)
            try await expectCount(InterviewRequestModel.query(on: app.db), 4)
        }
    }

    /// Six requests from one address at the same instant: three get through, never more.
    func testSimultaneousRequestsCannotSlipUnderTheLimit() async throws {
        try await withApp { app, _ in
            var sends: [(HTTPHeaders, String)] = []
            for i in 1...6 {
                let b = Browser(app)
                let (token, answer) = try challenge(try await b.get("/j/luan/interview").body.string)
                var headers = b.cookieHeader
                headers.contentType = .urlEncodedForm
                let body = good(token, answer, subject: "同时\(i)").map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                    .joined(separator: "&")
                sends.append((headers, body))
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (headers, body) in sends {
                    group.addTask { try await app.sendRequest(.POST, "/j/luan/interview", headers: headers, body: ByteBuffer(string: body)).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            XCTAssertEqual(statuses.filter { $0 == .seeOther }.count, 3, "\(statuses)")
            XCTAssertEqual(statuses.filter { $0 == .tooManyRequests }.count, 3, "\(statuses)")
            try await expectCount(InterviewRequestModel.query(on: app.db), 3)
        }
    }
}
