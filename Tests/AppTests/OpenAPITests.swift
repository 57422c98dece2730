@testable import App
import Vapor
import XCTest
import XCTVapor
import Yams

/// Keeps `openapi.yaml` and the routes in step: every route is documented, every documented
/// route exists, and documented GETs answer with a documented status and the schema's keys.
final class OpenAPITests: XCTestCase {
    func loadDocument(_ app: Application) async throws -> [String: Any] {
        let res = try await app.sendRequest(.GET, "/api/v1/openapi.yaml")
        XCTAssertEqual(res.status, .ok)
        return try XCTUnwrap(try Yams.load(yaml: res.body.string) as? [String: Any])
    }

    func testRoutesAndDocumentMatch() async throws {
        try await withApp(seed: false) { app, _ in
            let doc = try await self.loadDocument(app)
            XCTAssertEqual(doc["openapi"] as? String, "3.1.0")
            let paths = try XCTUnwrap(doc["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, ops) in paths {
                for method in ops.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) /api/v1\(path)")
                }
            }
            let routed = Set(app.routes.all.compactMap { route -> String? in
                let parts = route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }
                guard parts.starts(with: ["api", "v1"]) else { return nil }
                return "\(route.method.rawValue) /" + parts.joined(separator: "/")
            })
            XCTAssertEqual(routed.subtracting(documented), [], "routes missing from openapi.yaml")
            XCTAssertEqual(documented.subtracting(routed), [], "documented routes that do not exist")
        }
    }

    func testDocumentedGETsAnswerAsDocumented() async throws {
        try await withApp { app, _ in
            let doc = try await self.loadDocument(app)
            let paths = try XCTUnwrap(doc["paths"] as? [String: [String: Any]])
            let schemas = try XCTUnwrap((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let admin = try await app.bearer("admin")
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            let edition = try await app.api(.POST, "/api/v1/editions", as: admin, json: #"{"jurisdictionId":"wulong","year":2026}"#)
                .content.decode(EditionDTO.self)
            let people = try await app.api(.GET, "/api/v1/agencies/\(agency.id!)/people", as: admin).content.decode([PersonDTO].self)
            let filing = try await app.api(.GET, "/api/v1/filings", as: admin).content.decode([FilingDTO].self)
            let me = try await app.api(.GET, "/api/v1/me", as: admin).content.decode(UserDTO.self)
            let values = ["agencyID": agency.id!.uuidString, "editionID": edition.id.uuidString, "personID": people[0].id.uuidString,
                          "filingID": filing[0].id.uuidString, "userID": me.id.uuidString, "jurisdictionID": "wulong"]

            for (path, ops) in paths {
                guard let get = ops["get"] as? [String: Any], let responses = get["responses"] as? [String: Any] else { continue }
                var concrete = path
                for (k, v) in values { concrete = concrete.replacingOccurrences(of: "{\(k)}", with: v) }
                // Required query parameters are sent with their documented example.
                let query = (get["parameters"] as? [[String: Any]] ?? []).compactMap { p -> String? in
                    guard p["in"] as? String == "query", p["required"] as? Bool == true, let example = p["example"] else { return nil }
                    return "\(p["name"]!)=\(example)"
                }
                var queryItems = query
                // An event stream would never end: ask for its first event only.
                if ((responses["200"] as? [String: Any])?["content"] as? [String: Any])?["text/event-stream"] != nil { queryItems.append("once=true") }
                if !queryItems.isEmpty { concrete += "?" + queryItems.joined(separator: "&") }
                let res = try await app.api(.GET, "/api/v1" + concrete, as: admin)
                XCTAssertNotNil(responses[String(res.status.code)], "GET \(path) answered undocumented \(res.status.code)")
                guard res.status == .ok, res.headers.contentType == .json,
                      let schema = ((responses["200"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any],
                      let s = schema["schema"] as? [String: Any] else { continue }
                let json = try JSONSerialization.jsonObject(with: Data(res.body.string.utf8))
                checkRequired(json, s, schemas: schemas, at: "GET \(path)")
            }
        }
    }

    /// Checks that objects carry every `required` key of their schema (following $ref, arrays, allOf).
    func checkRequired(_ value: Any, _ schema: [String: Any], schemas: [String: Any], at place: String) {
        if let ref = schema["$ref"] as? String, let target = schemas[String(ref.split(separator: "/").last!)] as? [String: Any] {
            return checkRequired(value, target, schemas: schemas, at: place)
        }
        if let all = schema["allOf"] as? [[String: Any]] {
            return all.forEach { checkRequired(value, $0, schemas: schemas, at: place) }
        }
        if let items = schema["items"] as? [String: Any], let array = value as? [Any] {
            return array.prefix(3).forEach { checkRequired($0, items, schemas: schemas, at: place) }
        }
        guard let object = value as? [String: Any] else { return }
        for key in schema["required"] as? [String] ?? [] {
            XCTAssertNotNil(object[key], "\(place): missing required key \(key)")
        }
        for (key, sub) in schema["properties"] as? [String: [String: Any]] ?? [:] {
            if let v = object[key] { checkRequired(v, sub, schemas: schemas, at: "\(place).\(key)") }
        }
    }
}
