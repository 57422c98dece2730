@testable import App
import Core
import Fluent
import Foundation
import Vapor
import XCTest
import XCTVapor

/// The staff pages of emergency incidents (突发事件): the board with its register form and its
/// clocks, one incident's record, a refused first release, CSRF and scope. The test clock
/// stands at 2026-11-21 10:00 (Shanghai); wulong's first release is due 5 hours after the
/// incident (001 §13(四)).
final class IncidentWebTests: XCTestCase {
    func testBoardRecordAndDashboardRenderForTheNewsOffice() async throws {
        try await withApp { app, _ in
            // setup
            let news = Browser(app)
            try await news.login("wulong-news")
            let empty = try await news.get("/admin/incidents")
            XCTAssertEqual(empty.status, .ok)
            XCTAssertTrue(empty.body.string.contains("当前没有处置中的突发事件"))
            XCTAssertEqual(ReleasePageHTML.postActions(empty.body.string).filter { $0 != "/admin/logout" }, ["/admin/incidents"],
                           "the register form")
            let quiet = try await news.get("/admin").body.string
            XCTAssertFalse(quiet.contains("处置中的突发事件"), "no box without incidents")
            let id = try await news.registerIncident(app, title: "白马镇道路交通事故", occurredAt: "2026-11-21 06:01")

            // act
            let board = try await news.get("/admin/incidents")
            let record = try await news.get("/admin/incidents/\(id)")
            let dashboard = try await news.get("/admin")

            // check: the board's card links to the record and shows the clock counting down.
            XCTAssertEqual(board.status, .ok)
            XCTAssertEqual(ReleasePageHTML.links(board.body.string, under: "/admin/incidents/"), ["/admin/incidents/\(id)"])
            XCTAssertEqual(IncidentPageHTML.clocks(board.body.string),
                           [.init(status: "normal", label: "首次权威信息发布时限", text: "剩余 1小时1分", flag: "")])
            XCTAssertTrue(board.body.string.contains(#"<script src="/js/incident-clocks.js" defer></script>"#))
            XCTAssertFalse(board.body.string.contains("http-equiv=\"refresh\""), "a page with forms never reloads itself")
            // The record: facts, the clock with its citation, the checklist, every form.
            XCTAssertEqual(record.status, .ok)
            XCTAssertEqual(IncidentPageHTML.clocks(record.body.string).map(\.text), ["剩余 1小时1分"])
            XCTAssertTrue(record.body.string.contains("依据：001 §13(四)"))
            XCTAssertEqual(IncidentPageHTML.missingItems(record.body.string), ["现场情况", "已采取的措施"])
            let path = "/admin/incidents/\(id)"
            XCTAssertEqual(Set(ReleasePageHTML.postActions(record.body.string)),
                           ["/admin/logout", path + "/first-release", path + "/facts", path + "/conference", path + "/warnings",
                            path + "/releaser", path + "/close"])
            XCTAssertEqual(IncidentPageHTML.inputValue(record.body.string, id: "i-occurred"), "2026-11-21 06:01", "the facts are prefilled")
            // The dashboard lists it with its most urgent clock.
            XCTAssertEqual(ReleasePageHTML.links(dashboard.body.string, under: "/admin/incidents/"), ["/admin/incidents/\(id)"])
            XCTAssertEqual(IncidentPageHTML.clocks(dashboard.body.string).map(\.text), ["剩余 1小时1分"])
        }
    }

    func testRegisteringThroughTheFormStartsTheClock() async throws {
        try await withApp { app, clock in
            // setup
            let agency = try await app.agency("wulong", "区应急管理局")
            let news = Browser(app)
            try await news.login("wulong-news")
            let board = try await news.get("/admin/incidents").body.string
            var form = ["_csrf": try XCTUnwrap(Browser.csrf(in: board)), "agencyId": agency.id!.uuidString, "title": "仙女山镇山体滑坡",
                        "type": "naturalDisaster", "level": "large", "occurredAt": "2026-11-21 06:00", "place": "仙女山镇石梁子村",
                        "scene": "<b>山体</b>滑坡", "measures": "", "dead": "两", "injured": "5", "missing": "1", "trapped": "3"]

            // act: a word in a number box is refused, keeping what was typed
            let refused = try await news.post("/admin/incidents", form: form)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains("死亡人数应为整数"))
            XCTAssertEqual(IncidentPageHTML.inputValue(refused.body.string, id: "i-title"), "仙女山镇山体滑坡")
            XCTAssertEqual(IncidentPageHTML.textarea(refused.body.string, id: "i-scene"), "&lt;b&gt;山体&lt;/b&gt;滑坡", "typed text is escaped")
            try await expectCount(IncidentModel.query(on: app.db), 0)
            form["dead"] = "2"
            let created = try await news.post("/admin/incidents", form: form)

            // check: four hours gone, one hour left — amber, said in words too
            XCTAssertEqual(created.status, .seeOther, created.body.string)
            let location = try XCTUnwrap(created.headers.first(name: .location))
            XCTAssertTrue(location.hasSuffix("?done=incident-registered"), location)
            let record = try await news.get(location)
            XCTAssertTrue(record.body.string.contains("已登记突发事件"))
            XCTAssertEqual(IncidentPageHTML.clocks(record.body.string),
                           [.init(status: "amber", label: "首次权威信息发布时限", text: "剩余 1小时0分", flag: "不足1小时")])
            // Past due it is red and says 已逾期 (a new login: the session idles out after 30 minutes).
            clock.advance(3601)
            try await news.login("wulong-news")
            let late = try await news.get("/admin/incidents").body.string
            XCTAssertEqual(IncidentPageHTML.clocks(late), [.init(status: "red", label: "首次权威信息发布时限", text: "已逾期 0小时1分", flag: "")])
            // Eleven dead: the 24-hour conference clock starts (001 §13(四)).
            let path = String(location.prefix { $0 != "?" })
            let page = try await news.get(path).body.string
            var facts = IncidentPageHTML.formFields(page, action: path + "/facts")
            XCTAssertEqual(facts["dead"], "2")
            facts["dead"] = "11"
            try await expectStatus(try await news.post(path + "/facts", form: facts), .seeOther)
            let raised = try await news.get(path).body.string
            XCTAssertEqual(IncidentPageHTML.clocks(raised).map(\.label), ["首次权威信息发布时限", "突发事件新闻发布会时限"])
            XCTAssertEqual(IncidentPageHTML.clocks(raised).last?.text, "剩余 18小时59分", "due 24 hours after 06:00, seen at 11:00:01")
        }
    }

    func testARefusedFirstReleaseKeepsThePageUsable() async throws {
        try await withApp { app, _ in
            // setup: no scene, no measures, figures not checked
            let news = Browser(app)
            try await news.login("wulong-news")
            let id = try await news.registerIncident(app, title: "白马镇道路交通事故", occurredAt: "2026-11-21 08:00", confirmed: false)
            let path = "/admin/incidents/\(id)"
            let page = try await news.get(path).body.string
            let token = try XCTUnwrap(Browser.csrf(in: page))

            // act
            let refused = try await news.post(path + "/first-release", form: ["_csrf": token, "summary": "白马镇发生道路交通事故。"])

            // check: the refusal names what is missing, the summary is kept, every form is still there
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertEqual(IncidentPageHTML.refusal(html), "现场情况、伤亡情况（含失踪、被困人员）、已采取的措施")
            XCTAssertEqual(IncidentPageHTML.textarea(html, id: "fr-summary"), "白马镇发生道路交通事故。")
            XCTAssertTrue(html.contains(#"<details class="action" id="facts" open>"#), "the facts form opens beside the refusal")
            XCTAssertEqual(Set(ReleasePageHTML.postActions(html)), Set(ReleasePageHTML.postActions(page)))
            try await expectCount(IncidentReleaseModel.query(on: app.db), 0)

            // Filled in, the first release goes through and its clock is met.
            var facts = IncidentPageHTML.formFields(html, action: path + "/facts")
            facts["scene"] = "两车追尾，一车侧翻。"
            facts["measures"] = "伤员已送医，道路已恢复通行。"
            facts["casualtiesConfirmed"] = "on"
            try await expectStatus(try await news.post(path + "/facts", form: facts), .seeOther)
            try await expectStatus(try await news.post(path + "/first-release", form: ["_csrf": token, "summary": "白马镇发生道路交通事故。"]),
                                   .seeOther)
            let done = try await news.get(path).body.string
            XCTAssertEqual(IncidentPageHTML.clocks(done).map(\.text), ["已完成（2026-11-21 10:00）"])
            XCTAssertTrue(ReleasePageHTML.postActions(done).contains(path + "/follow-up"))
        }
    }

    func testPostsWithoutCSRFTokenAreRefused() async throws {
        try await withApp { app, _ in
            // setup
            let agency = try await app.agency("wulong", "区应急管理局")
            let news = Browser(app)
            try await news.login("wulong-news")
            let id = try await news.registerIncident(app, title: "白马镇道路交通事故", occurredAt: "2026-11-21 08:00")
            // act
            let register = try await news.post("/admin/incidents", form: [
                "agencyId": agency.id!.uuidString, "title": "伪造的突发事件", "type": "accident", "level": "general", "occurredAt": "2026-11-21 09:00"])
            let close = try await news.post("/admin/incidents/\(id)/close", form: ["_csrf": "wrong", "reason": "伪造"])
            // check
            XCTAssertEqual(register.status, .forbidden)
            XCTAssertEqual(close.status, .forbidden)
            try await expectCount(IncidentModel.query(on: app.db).filter(\.$title == "伪造的突发事件"), 0)
            try await expectCount(IncidentModel.query(on: app.db).filter(\.$state == "open"), 1)
            try await expectCount(AuditEventModel.query(on: app.db).filter(\.$action == "csrf.rejected"), 2)
        }
    }

    func testAnotherJurisdictionsIncidentAnswers404() async throws {
        try await withApp { app, _ in
            // setup
            let huludao = Browser(app)
            try await huludao.login("huludao-news")
            let foreign = try await huludao.registerIncident(app, jurisdiction: "huludao", agency: "市生态环境局",
                                                             title: "葫芦岛市化工厂泄漏事件", occurredAt: "2026-11-21 08:00")
            let news = Browser(app)
            try await news.login("wulong-news")
            let ownBoard = try await news.get("/admin/incidents").body.string
            let token = try XCTUnwrap(Browser.csrf(in: ownBoard))
            // act + check
            try await expectStatus(try await news.get("/admin/incidents/\(foreign)"), .notFound)
            try await expectStatus(try await news.post("/admin/incidents/\(foreign)/close", form: ["_csrf": token, "reason": "越权"]), .notFound)
            try await expectStatus(try await news.post("/admin/incidents/\(foreign)/first-release", form: ["_csrf": token, "summary": "越权"]),
                                   .notFound)
            try await expectStatus(try await news.get("/admin/incidents/\(UUID())"), .notFound)
            let board = try await news.get("/admin/incidents?all=1").body.string
            XCTAssertEqual(ReleasePageHTML.links(board, under: "/admin/incidents/"), [])
            XCTAssertFalse(board.contains("葫芦岛市化工厂泄漏事件"))
            try await expectCount(IncidentModel.query(on: app.db).filter(\.$state == "open"), 1)
            try await expectCount(IncidentReleaseModel.query(on: app.db), 0)
        }
    }
}

extension Browser {
    /// Registers an incident through the board's form and returns its id.
    func registerIncident(_ app: Application, jurisdiction: String = "wulong", agency: String = "区应急管理局", title: String,
                          occurredAt: String, confirmed: Bool = true, file: StaticString = #filePath, line: UInt = #line) async throws -> UUID {
        let a = try await app.agency(jurisdiction, agency)
        let board = try await get("/admin/incidents").body.string
        var form = ["_csrf": Browser.csrf(in: board) ?? "", "agencyId": a.id!.uuidString, "title": title, "type": "accident",
                    "level": "general", "occurredAt": occurredAt, "place": "事发地点", "injured": "3"]
        if confirmed { form["casualtiesConfirmed"] = "on" }
        let res = try await post("/admin/incidents", form: form)
        XCTAssertEqual(res.status, .seeOther, res.body.string, file: file, line: line)
        let location = res.headers.first(name: .location) ?? ""
        return try XCTUnwrap(UUID(uuidString: String(location.dropFirst("/admin/incidents/".count).prefix(36))), location, file: file, line: line)
    }
}

/// Reads the parts of the incident pages these tests check.
enum IncidentPageHTML {
    struct Clock: Equatable {
        var status: String
        var label: String
        var text: String
        var flag: String
    }

    static func groups(_ pattern: String, in html: String) -> [[String]] {
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        return re.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { m in
            (1..<m.numberOfRanges).map { Range(m.range(at: $0), in: html).map { String(html[$0]) } ?? "" }
        }
    }

    /// The clocks of the page, in order.
    static func clocks(_ html: String) -> [Clock] {
        groups(#"<div class="clock clock-(\w+)"[^>]*>\s*<span class="clock-label">([^<]*)</span>\s*<strong class="clock-left">([^<]*)</strong>\s*<span class="tag clock-flag"[^>]*>([^<]*)</span>"#,
               in: html).map { Clock(status: $0[0], label: $0[1], text: $0[2], flag: $0[3]) }
    }

    /// The checklist items still missing.
    static func missingItems(_ html: String) -> [String] {
        groups(#"<li class="missing">✗ 尚缺：([^<]*)</li>"#, in: html).map { $0[0] }
    }

    /// What the refusal of the first release says is missing.
    static func refusal(_ html: String) -> String? {
        groups(#"<p class="ferr refusal" role="alert">.*?尚缺：<strong>([^<]*)</strong>"#, in: html).first?.first
    }

    static func inputValue(_ html: String, id: String) -> String? {
        groups(#"<input id="\#(id)"[^>]*? value="([^"]*)""#, in: html).first?.first
    }

    static func textarea(_ html: String, id: String) -> String? {
        groups(#"<textarea id="\#(id)"[^>]*>(.*?)</textarea>"#, in: html).first?.first
    }

    /// What a browser would post from the form at `action`, as rendered (inputs, ticked boxes,
    /// selected options, textareas).
    static func formFields(_ html: String, action: String) -> [String: String] {
        guard let form = groups(#"<form method="post" action="\#(NSRegularExpression.escapedPattern(for: action))"[^>]*>(.*?)</form>"#,
                                in: html).first?.first else { return [:] }
        func unescape(_ s: String) -> String {
            s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
        var out: [String: String] = [:]
        for attrs in groups("<input ([^>]*)>", in: form).map(\.[0]) {
            guard let name = groups(#"name="([^"]+)""#, in: attrs).first?.first else { continue }
            let value = groups(#"value="([^"]*)""#, in: attrs).first?.first ?? ""
            if attrs.contains(#"type="checkbox""#) {
                if groups(#"(\bchecked\b)"#, in: attrs).isEmpty == false { out[name] = "on" }
            } else {
                out[name] = unescape(value)
            }
        }
        for t in groups(#"<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>"#, in: form) { out[t[0]] = unescape(t[1]) }
        for s in groups(#"<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>"#, in: form) {
            out[s[0]] = groups(#"<option value="([^"]*)" selected"#, in: s[1]).first?.first ?? ""
        }
        return out
    }
}
