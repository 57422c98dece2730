@testable import App
import Core
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor
import XCTest
import XCTVapor

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let value: NIOLockedValueBox<Date>
    init(_ start: Date) { value = NIOLockedValueBox(start) }
    var now: Date { value.withLockedValue { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLockedValue { $0 += seconds } }
}

/// 2026-11-21 10:00 in Asia/Shanghai.
let testNow = Date(timeIntervalSince1970: 1_795_226_400)
let demoPassword = "demo-password-2026"

/// Runs `body` against a fresh app: in-memory SQLite, or PostgreSQL when
/// `FABU_TEST_DATABASE_URL` is set (schema reverted and migrated anew for each test).
/// The demo data is seeded; the app is always shut down.
func withApp(seed: Bool = true, _ body: (Application, TestClock) async throws -> Void) async throws {
    let clock = TestClock(testNow)
    let app = try await Application.make(.testing)
    let dataDir = NSTemporaryDirectory() + "fabu-test-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: dataDir) }
    do {
        let url = ProcessInfo.processInfo.environment["FABU_TEST_DATABASE_URL"]
        let settings = Settings(database: url.map { .postgres(url: $0) } ?? .sqliteMemory, dataDirectory: dataDir,
                                maxUploadBytes: 1_048_576)
        try await configure(app, settings: settings, clock: { clock.now })
        app.passwords.use(.bcrypt(cost: 4))
        if url != nil { try await app.autoRevert() }
        try await app.autoMigrate()
        if seed {
            _ = try await DemoSeed.ensureAdmin(app: app, password: demoPassword, now: clock.now)
            try await DemoSeed.seedIfEmpty(app: app, password: demoPassword, now: clock.now)
        }
        try await body(app, clock)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

extension Application {
    func agency(_ jurisdiction: String, _ name: String) async throws -> AgencyModel {
        guard let a = try await AgencyModel.query(on: db).filter(\.$jurisdictionID == jurisdiction).filter(\.$name == name).first() else {
            throw Abort(.internalServerError, reason: "fixture agency \(name) missing")
        }
        return a
    }

    /// Logs in through the API and returns a Bearer header.
    func bearer(_ username: String, password: String = demoPassword) async throws -> HTTPHeaders {
        let res = try await sendRequest(.POST, "/api/v1/auth/login", headers: ["content-type": "application/json"],
                                        body: ByteBuffer(string: #"{"username":"\#(username)","password":"\#(password)"}"#))
        XCTAssertEqual(res.status, .ok, res.body.string)
        let token = try res.content.decode(LoginResultDTO.self).token
        return ["authorization": "Bearer \(token)", "content-type": "application/json"]
    }

    /// Sends JSON with a bearer header.
    func api(_ method: HTTPMethod, _ path: String, as headers: HTTPHeaders, json: String? = nil) async throws -> XCTHTTPResponse {
        try await sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

/// A browser: keeps cookies between requests and reads CSRF tokens out of forms.
final class Browser {
    let app: Application
    var cookies: [String: String] = [:]

    init(_ app: Application) { self.app = app }

    var cookieHeader: HTTPHeaders {
        cookies.isEmpty ? [:] : ["cookie": cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    func get(_ path: String) async throws -> XCTHTTPResponse {
        let res = try await app.sendRequest(.GET, path, headers: cookieHeader)
        keep(res)
        return res
    }

    func post(_ path: String, form: [String: String]) async throws -> XCTHTTPResponse {
        var headers = cookieHeader
        headers.contentType = .urlEncodedForm
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        let res = try await app.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        keep(res)
        return res
    }

    private func keep(_ res: XCTHTTPResponse) {
        for (name, value) in res.headers.setCookie?.all ?? [:] {
            if value.maxAge == 0 { cookies[name] = nil } else { cookies[name] = value.string }
        }
    }

    static func csrf(in html: String) -> String? {
        guard let r = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return String(html[r]).components(separatedBy: "value=\"")[1].dropLast().description
    }

    /// Logs in through the login form; returns the dashboard response.
    @discardableResult
    func login(_ username: String, password: String = demoPassword) async throws -> XCTHTTPResponse {
        let page = try await get("/admin/login")
        let token = Self.csrf(in: page.body.string) ?? ""
        return try await post("/admin/login", form: ["username": username, "password": password, "_csrf": token, "next": "/admin"])
    }
}

func expectStatus(_ res: @autoclosure () async throws -> XCTHTTPResponse, _ status: HTTPStatus, _ message: String = "",
                  file: StaticString = #filePath, line: UInt = #line) async throws {
    let r = try await res()
    XCTAssertEqual(r.status, status, "\(message) \(r.body.string.prefix(300))", file: file, line: line)
}

func expectCount<M: Model>(_ query: @autoclosure () -> QueryBuilder<M>, _ count: Int, _ message: String = "",
                           file: StaticString = #filePath, line: UInt = #line) async throws {
    let n = try await query().count()
    XCTAssertEqual(n, count, message, file: file, line: line)
}
