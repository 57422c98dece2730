@testable import App
import Core
import Fluent
import Vapor
import XCTest
import XCTVapor

/// The bad-input table of issue #2: clear Chinese errors, never a 500, nothing half-written.
final class BadInputTests: XCTestCase {
    func testBadInputTable() async throws {
        try await withApp { app, _ in
            let admin = try await app.bearer("admin")
            let a = try await app.agency("wulong", "白马镇")
            let cases: [(String, HTTPMethod, String, String?, HTTPStatus, String?)] = [
                ("malformed JSON", .POST, "/api/v1/people", #"{"agencyId": "#, .badRequest, nil),
                ("wrong type", .POST, "/api/v1/people", #"{"agencyId":"\#(a.id!)","name":42}"#, .unprocessableEntity, "name"),
                ("missing field", .POST, "/api/v1/people", #"{"agencyId":"\#(a.id!)"}"#, .unprocessableEntity, "name"),
                ("empty field", .POST, "/api/v1/people", #"{"agencyId":"\#(a.id!)","name":"   "}"#, .unprocessableEntity, "name"),
                ("oversized field", .POST, "/api/v1/people", #"{"agencyId":"\#(a.id!)","name":"\#(String(repeating: "长", count: 51))"}"#, .unprocessableEntity, "name"),
                ("bad email", .POST, "/api/v1/people", #"{"agencyId":"\#(a.id!)","name":"甲","email":"no-at"}"#, .unprocessableEntity, "email"),
                ("unknown agency", .POST, "/api/v1/people", #"{"agencyId":"\#(UUID())","name":"甲"}"#, .notFound, nil),
                ("not a uuid", .GET, "/api/v1/agencies/not-a-uuid", nil, .notFound, nil),
                ("unknown filing", .POST, "/api/v1/filings/\(UUID())/accept", nil, .notFound, nil),
                ("bad date", .POST, "/api/v1/agencies/\(a.id!)/positions", #"{"personId":"\#(UUID())","kind":"spokesperson","startDate":"2026-02-30"}"#, .unprocessableEntity, "startDate"),
                ("bad post", .POST, "/api/v1/agencies/\(a.id!)/positions", #"{"personId":"\#(UUID())","kind":"boss","startDate":"2026-02-03"}"#, .unprocessableEntity, "kind"),
                ("weak password", .POST, "/api/v1/users", #"{"username":"new-user","displayName":"甲","password":"short","role":"auditor"}"#, .unprocessableEntity, "password"),
                ("editor without agency", .POST, "/api/v1/users", #"{"username":"new-user","displayName":"甲","password":"long-enough-pass","role":"editor"}"#, .unprocessableEntity, "agencyId"),
                ("bad filing state", .GET, "/api/v1/filings?state=maybe", nil, .unprocessableEntity, "state"),
                ("unknown route", .GET, "/api/v1/nothing-here", nil, .notFound, nil),
            ]
            let peopleBefore = try await PersonModel.query(on: app.db).count()
            for (name, method, path, json, status, field) in cases {
                let res = try await app.api(method, path, as: admin, json: json)
                XCTAssertEqual(res.status, status, "\(name): \(res.body.string)")
                let body = try res.content.decode(FabuErrorMiddleware.Body.self)
                XCTAssertFalse(body.message.isEmpty, name)
                XCTAssertTrue(body.message.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(name): Chinese message, got \(body.message)")
                if let field { XCTAssertNotNil(body.fields[field], "\(name): names field \(field), got \(body.fields)") }
            }
            try await expectCount(PersonModel.query(on: app.db), peopleBefore, "nothing written")

            // Oversized body: the HTTP server answers 413 past 2 MB; the in-memory tester skips that
            // limit, so field validation answers. Either way a clear refusal, never a 500.
            let huge = #"{"agencyId":"\#(a.id!)","name":"\#(String(repeating: "x", count: 3_000_000))"}"#
            let tooBig = try await app.api(.POST, "/api/v1/people", as: admin, json: huge)
            XCTAssertTrue([.payloadTooLarge, .unprocessableEntity].contains(tooBig.status), "\(tooBig.status)")
        }
    }

    func testSettingsNameTheBadVariable() throws {
        XCTAssertThrowsError(try Settings.fromEnvironment(["FABU_DATABASE_URL": "mysql://x"])) { error in
            XCTAssertTrue(String(describing: error).contains("FABU_DATABASE_URL"))
        }
        XCTAssertThrowsError(try Settings.fromEnvironment(["FABU_ADMIN_PASSWORD": "short", "FABU_SECURE_COOKIES": "maybe"])) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("FABU_ADMIN_PASSWORD") && text.contains("FABU_SECURE_COOKIES"))
        }
        let defaults = try Settings.fromEnvironment([:])
        XCTAssertEqual(defaults.database, .sqliteFile(path: "./fabu-data/fabu.sqlite"))
        XCTAssertEqual(try Settings.fromEnvironment(["FABU_DATABASE_URL": "postgres://u:p@127.0.0.1:5432/fabu"]).database,
                       .postgres(url: "postgres://u:p@127.0.0.1:5432/fabu"))
    }

    func testHealthAndPublicPages() async throws {
        try await withApp { app, _ in
            let health = try await app.sendRequest(.GET, "/healthz")
            XCTAssertEqual(health.status, .ok)
            let home = try await app.sendRequest(.GET, "/")
            XCTAssertEqual(home.status, .ok)
            XCTAssertTrue(home.body.string.contains("重庆市武隆区"))
            XCTAssertEqual(home.headers.first(name: "X-Content-Type-Options"), "nosniff")
            XCTAssertTrue(home.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") ?? false)
            let missing = try await app.sendRequest(.GET, "/roster/\(UUID())")
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertTrue(missing.body.string.contains("页面不存在"))
        }
    }

    func testEveryStaffPageRendersForEveryRole() async throws {
        try await withApp { app, _ in
            let a = try await app.agency("wulong", "区发展和改革委员会")
            for user in ["admin", "wulong-news", "wulong-fgw", "wulong-leader", "huludao-news", "luan-news", "auditor"] {
                let browser = Browser(app)
                try await browser.login(user)
                for path in ["/admin", "/admin/agencies", "/admin/filings", "/admin/editions"] {
                    let res = try await browser.get(path)
                    XCTAssertEqual(res.status, .ok, "\(user) \(path)")
                    XCTAssertTrue(res.body.string.contains("新闻发布工作管理平台"), "\(user) \(path)")
                }
                let roster = try await browser.get("/admin/agencies/\(a.id!)")
                let expected: HTTPStatus = ["admin", "wulong-news", "wulong-fgw", "wulong-leader", "auditor"].contains(user) ? .ok : .notFound
                XCTAssertEqual(roster.status, expected, user)
                let audit = try await browser.get("/admin/audit")
                XCTAssertEqual(audit.status, ["admin", "auditor"].contains(user) ? .ok : .forbidden, user)
            }
        }
    }
}
