@testable import App
import Core
import Fluent
import SQLKit
import Vapor
import XCTest
import XCTVapor

final class SecurityTests: XCTestCase {
    func testAnotherAgencysRecordsAnswer404() async throws {
        try await withApp { app, _ in
            // setup: an editor of 区发改委 and the news offices of two jurisdictions
            let editor = try await app.bearer("wulong-fgw")
            let own = try await app.agency("wulong", "区发展和改革委员会")
            let other = try await app.agency("wulong", "区教育委员会")
            let foreign = try await app.agency("huludao", "市教育局")
            // act + check
            try await expectStatus(try await app.api(.GET, "/api/v1/agencies/\(own.id!)/roster", as: editor), .ok)
            try await expectStatus(try await app.api(.GET, "/api/v1/agencies/\(other.id!)/roster", as: editor), .notFound)
            try await expectStatus(try await app.api(.GET, "/api/v1/agencies/\(other.id!)", as: editor), .notFound)
            let agencies = try await app.api(.GET, "/api/v1/agencies", as: editor).content.decode([AgencyDTO].self)
            XCTAssertEqual(agencies.map(\.id), [own.id!])

            let hldNews = try await app.bearer("huludao-news")
            try await expectStatus(try await app.api(.GET, "/api/v1/agencies/\(own.id!)/roster", as: hldNews), .notFound)
            try await expectStatus(try await app.api(.GET, "/api/v1/agencies/\(foreign.id!)/roster", as: hldNews), .ok)

            // A county news office sees its level only, not the city's departments.
            let xingcheng = try await app.bearer("xingcheng-news")
            try await expectStatus(try await app.api(.GET, "/api/v1/agencies/\(foreign.id!)", as: xingcheng), .notFound)
            let xcEdu = try await app.agency("huludao", "兴城市教育局")
            try await expectStatus(try await app.api(.GET, "/api/v1/agencies/\(xcEdu.id!)", as: xingcheng), .ok)

            // A filing of another agency is not found; web pages too.
            let p = try await app.api(.POST, "/api/v1/people", as: editor, json: #"{"agencyId":"\#(other.id!)","name":"越权"}"#)
            XCTAssertEqual(p.status, .notFound)
            let browser = Browser(app)
            try await browser.login("wulong-fgw")
            try await expectStatus(try await browser.get("/admin/agencies/\(other.id!)"), .notFound)
            try await expectStatus(try await browser.get("/admin/agencies/\(own.id!)"), .ok)
        }
    }

    func testAuditorReadsAuditButChangesNothing() async throws {
        try await withApp { app, _ in
            let auditor = try await app.bearer("auditor")
            try await expectStatus(try await app.api(.GET, "/api/v1/audit", as: auditor), .ok)
            let a = try await app.agency("wulong", "白马镇")
            let res = try await app.api(.POST, "/api/v1/people", as: auditor, json: #"{"agencyId":"\#(a.id!)","name":"某人"}"#)
            XCTAssertEqual(res.status, .forbidden)
            let editor = try await app.bearer("wulong-fgw")
            try await expectStatus(try await app.api(.GET, "/api/v1/audit", as: editor), .forbidden)
            try await expectStatus(try await app.api(.GET, "/api/v1/users", as: editor), .forbidden)
            let denied = try await AuditEventModel.query(on: app.db).filter(\.$action == "permission.denied").count()
            XCTAssertEqual(denied, 2, "each denial is an audit event")
            try await expectStatus(try await app.api(.GET, "/api/v1/agencies", as: [:]), .unauthorized)
        }
    }

    func testFiveFailuresLockForFifteenMinutes() async throws {
        try await withApp { app, clock in
            func attempt(_ password: String) async throws -> XCTHTTPResponse {
                try await app.sendRequest(.POST, "/api/v1/auth/login", headers: ["content-type": "application/json"],
                                          body: ByteBuffer(string: #"{"username":"wulong-fgw","password":"\#(password)"}"#))
            }
            for _ in 0..<4 { try await expectStatus(try await attempt("wrong-password-x"), .unauthorized) }
            try await expectStatus(try await attempt("wrong-password-x"), .locked)
            // Even the right password is refused while locked.
            try await expectStatus(try await attempt(demoPassword), .locked)
            clock.advance(14 * 60)
            try await expectStatus(try await attempt(demoPassword), .locked)
            clock.advance(61)
            try await expectStatus(try await attempt(demoPassword), .ok)
            let actions = try await AuditEventModel.query(on: app.db).all().map(\.action)
            XCTAssertEqual(actions.filter { $0 == "login.failed" }.count, 5)
            XCTAssertEqual(actions.filter { $0 == "account.locked" }.count, 1)
            XCTAssertTrue(actions.contains("login.locked"))
        }
    }

    func testWebFormsRefusePostsWithoutCSRFToken() async throws {
        try await withApp { app, _ in
            let browser = Browser(app)
            let dash = try await browser.login("wulong-fgw")
            XCTAssertEqual(dash.status, .seeOther)
            let a = try await app.agency("wulong", "区发展和改革委员会")
            let page = try await browser.get("/admin/agencies/\(a.id!)")
            let token = try XCTUnwrap(Browser.csrf(in: page.body.string))

            let forged = try await browser.post("/admin/agencies/\(a.id!)/people", form: ["name": "伪造"])
            XCTAssertEqual(forged.status, .forbidden)
            let wrong = try await browser.post("/admin/agencies/\(a.id!)/people", form: ["name": "伪造", "_csrf": "x" + token])
            XCTAssertEqual(wrong.status, .forbidden)
            try await expectCount(PersonModel.query(on: app.db).filter(\.$name == "伪造"), 0)

            let real = try await browser.post("/admin/agencies/\(a.id!)/people", form: ["name": "真实", "_csrf": token])
            XCTAssertEqual(real.status, .seeOther)
            try await expectCount(PersonModel.query(on: app.db).filter(\.$name == "真实"), 1)

            // Login itself is CSRF-protected (double submit).
            let fresh = Browser(app)
            let noToken = try await fresh.post("/admin/login", form: ["username": "admin", "password": demoPassword])
            XCTAssertEqual(noToken.status, .forbidden)
        }
    }

    func testSessionCookieIsStrictNewAtLoginAndExpiresAfterThirtyIdleMinutes() async throws {
        try await withApp { app, clock in
            let browser = Browser(app)
            _ = try await browser.get("/admin/login")
            browser.cookies["fabu_session"] = "planted-by-attacker"
            let res = try await browser.login("wulong-news")
            let cookie = try XCTUnwrap(res.headers.setCookie?["fabu_session"])
            XCTAssertTrue(cookie.isHTTPOnly)
            XCTAssertEqual(cookie.sameSite, .strict)
            XCTAssertNotEqual(cookie.string, "planted-by-attacker")

            try await expectStatus(try await browser.get("/admin"), .ok)
            clock.advance(29 * 60)
            try await expectStatus(try await browser.get("/admin"), .ok)
            clock.advance(31 * 60)
            let expired = try await browser.get("/admin")
            XCTAssertEqual(expired.status, .seeOther)
            XCTAssertTrue(expired.headers.first(name: .location)?.hasPrefix("/admin/login") ?? false)
        }
    }

    func testIntegrationTokensAreRevocable() async throws {
        try await withApp { app, _ in
            let admin = try await app.bearer("admin")
            let created = try await app.api(.POST, "/api/v1/tokens", as: admin, json: #"{"name":"短信网关","expiresInDays":30}"#)
            XCTAssertEqual(created.status, .created, created.body.string)
            let dto = try created.content.decode(APITokenDTO.self)
            let token: HTTPHeaders = ["authorization": "Bearer \(try XCTUnwrap(dto.token))"]
            try await expectStatus(try await app.api(.GET, "/api/v1/me", as: token), .ok)
            let listed = try await app.api(.GET, "/api/v1/tokens", as: admin).content.decode([APITokenDTO].self)
            XCTAssertNil(listed.first?.token, "the secret is shown once only")
            try await expectStatus(try await app.api(.DELETE, "/api/v1/tokens/\(dto.id)", as: admin), .noContent)
            try await expectStatus(try await app.api(.GET, "/api/v1/me", as: token), .unauthorized)
        }
    }

    func testAuditChainDetectsEditedAndRemovedRows() async throws {
        try await withApp { app, _ in
            let admin = try await app.bearer("admin")
            let a = try await app.agency("wulong", "白马镇")
            for n in 1...3 {
                _ = try await app.api(.POST, "/api/v1/people", as: admin, json: #"{"agencyId":"\#(a.id!)","name":"审计\#(n)"}"#)
            }
            let clean = try await AuditLog.verify(on: app.db)
            XCTAssertEqual(clean.breaks, [])
            XCTAssertGreaterThan(clean.count, 5)
            let events = try await AuditEventModel.query(on: app.db).filter(\.$action == "person.create").sort(\.$id).all()
            let sql = app.db as! SQLDatabase

            // Edit one row's content.
            let edited = events[1].id!
            try await sql.update("audit_events").set("after", to: #"{"name":"改过"}"#).where("seq", .equal, edited).run()
            let afterEdit = try await AuditLog.verify(on: app.db).breaks
            XCTAssertEqual(afterEdit, [.altered(seq: edited)])

            // Remove another row.
            let removed = events[0].id!
            try await sql.delete(from: "audit_events").where("seq", .equal, removed).run()
            let breaks = try await AuditLog.verify(on: app.db).breaks
            XCTAssertTrue(breaks.contains(.missing(afterSeq: removed - 1, nextSeq: removed + 1)), "\(breaks)")
        }
    }
}
