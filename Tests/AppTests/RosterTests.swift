@testable import App
import Core
import Fluent
import Vapor
import XCTest
import XCTVapor

final class RosterTests: XCTestCase {
    func testSecondSpokespersonRefusedUnderWulongAllowedUnderLuan() async throws {
        try await withApp { app, _ in
            // setup
            let admin = try await app.bearer("admin")
            let wulong = try await app.agency("wulong", "区发展和改革委员会")
            let luan = try await app.agency("luan", "市卫生健康委员会")

            for (agency, expected) in [(wulong, HTTPStatus.unprocessableEntity), (luan, .created)] {
                let person = try await app.api(.POST, "/api/v1/people", as: admin,
                                               json: #"{"agencyId":"\#(agency.id!)","name":"新发言人","title":"副主任"}"#)
                XCTAssertEqual(person.status, .created, person.body.string)
                let personID = try person.content.decode(PersonDTO.self).id
                // act
                let res = try await app.api(.POST, "/api/v1/agencies/\(agency.id!)/positions", as: admin,
                                            json: #"{"personId":"\#(personID)","kind":"spokesperson","startDate":"2026-11-01"}"#)
                // check
                XCTAssertEqual(res.status, expected, res.body.string)
                if expected == .unprocessableEntity {
                    XCTAssertTrue(res.body.string.contains("001 §8(二)"), "the refusal cites the article: \(res.body.string)")
                    XCTAssertTrue(res.body.string.contains("post_limit_exceeded"))
                }
            }
            // A third spokesperson in Lu'an exceeds 1–2 (004 §六).
            let p3 = try await app.api(.POST, "/api/v1/people", as: admin, json: #"{"agencyId":"\#(luan.id!)","name":"第三人"}"#)
            let p3id = try p3.content.decode(PersonDTO.self).id
            let third = try await app.api(.POST, "/api/v1/agencies/\(luan.id!)/positions", as: admin,
                                          json: #"{"personId":"\#(p3id)","kind":"spokesperson","startDate":"2026-11-02"}"#)
            XCTAssertEqual(third.status, .unprocessableEntity)
            XCTAssertTrue(third.body.string.contains("004 §六"))
        }
    }

    func testTemporarySpokespersonNeedsScopeAndEndUnderHuludaoAndIsRefusedUnderWulong() async throws {
        try await withApp { app, _ in
            let admin = try await app.bearer("admin")
            for (j, name) in [("huludao", "市生态环境局"), ("wulong", "区应急管理局")] {
                let a = try await app.agency(j, name)
                let person = try await app.api(.POST, "/api/v1/people", as: admin, json: #"{"agencyId":"\#(a.id!)","name":"临时发言"}"#)
                let pid = try person.content.decode(PersonDTO.self).id
                let noScope = try await app.api(.POST, "/api/v1/agencies/\(a.id!)/positions", as: admin,
                                                json: #"{"personId":"\#(pid)","kind":"temporarySpokesperson","startDate":"2026-11-01"}"#)
                XCTAssertEqual(noScope.status, .unprocessableEntity, noScope.body.string)
                if j == "huludao" {
                    let body = try noScope.content.decode(FabuErrorMiddleware.Body.self)
                    XCTAssertNotNil(body.fields["scope"])
                    XCTAssertNotNil(body.fields["endDate"])
                    let ok = try await app.api(.POST, "/api/v1/agencies/\(a.id!)/positions", as: admin,
                                               json: #"{"personId":"\#(pid)","kind":"temporarySpokesperson","startDate":"2026-11-01","endDate":"2026-12-31","scope":"秋冬季大气污染防治"}"#)
                    XCTAssertEqual(ok.status, .created, ok.body.string)
                } else {
                    XCTAssertTrue(noScope.body.string.contains("post_not_allowed"))
                }
            }
        }
    }

    func testRosterShowsGapsFromProfile() async throws {
        try await withApp { app, _ in
            let admin = try await app.bearer("admin")
            // 江口镇 has only a principal: spokesperson and assistant are missing (001 §8(二)).
            let a = try await app.agency("wulong", "江口镇")
            let res = try await app.api(.GET, "/api/v1/agencies/\(a.id!)/roster", as: admin)
            let roster = try res.content.decode(RosterDTO.self)
            XCTAssertEqual(roster.gaps.count, 2)
            XCTAssertTrue(roster.gaps.joined().contains("新闻发言人"))
        }
    }

    func testFilingAcceptedAndReturnedWithReason() async throws {
        try await withApp { app, _ in
            let editor = try await app.bearer("wulong-jw")
            let news = try await app.bearer("wulong-news")
            let a = try await app.agency("wulong", "区教育委员会")
            // The spokesperson leaves: one change to file.
            let roster = try await app.api(.GET, "/api/v1/agencies/\(a.id!)/roster", as: editor).content.decode(RosterDTO.self)
            let spokesperson = try XCTUnwrap(roster.positions.first { $0.kind == "spokesperson" && $0.current })
            let end = try await app.api(.POST, "/api/v1/positions/\(spokesperson.id)/end", as: editor, json: #"{"endDate":"2026-11-20"}"#)
            XCTAssertEqual(end.status, .ok, end.body.string)

            let submit = try await app.api(.POST, "/api/v1/filings", as: editor, json: #"{"agencyId":"\#(a.id!)","note":"发言人调整"}"#)
            XCTAssertEqual(submit.status, .created, submit.body.string)
            let filing = try submit.content.decode(FilingDTO.self)
            XCTAssertEqual(filing.state, "submitted")
            XCTAssertEqual(filing.changes.count, 1)

            // The agency may not review its own filing; the news office returns it, a reason is required.
            let selfReview = try await app.api(.POST, "/api/v1/filings/\(filing.id)/accept", as: editor)
            XCTAssertEqual(selfReview.status, .forbidden)
            let noReason = try await app.api(.POST, "/api/v1/filings/\(filing.id)/return", as: news, json: #"{"reason":"  "}"#)
            XCTAssertEqual(noReason.status, .unprocessableEntity)
            let returned = try await app.api(.POST, "/api/v1/filings/\(filing.id)/return", as: news, json: #"{"reason":"请补充新任发言人信息"}"#)
            XCTAssertEqual(try returned.content.decode(FilingDTO.self).state, "returned")

            // Returned changes are back in the agency's unfiled list; refile and accept.
            let again = try await app.api(.GET, "/api/v1/agencies/\(a.id!)/roster", as: editor).content.decode(RosterDTO.self)
            XCTAssertEqual(again.unfiledChanges.count, 1)
            let refiled = try await app.api(.POST, "/api/v1/filings", as: editor, json: #"{"agencyId":"\#(a.id!)"}"#).content.decode(FilingDTO.self)
            let accepted = try await app.api(.POST, "/api/v1/filings/\(refiled.id)/accept", as: news)
            XCTAssertEqual(try accepted.content.decode(FilingDTO.self).state, "accepted")
            let twice = try await app.api(.POST, "/api/v1/filings/\(refiled.id)/accept", as: news)
            XCTAssertEqual(twice.status, .conflict)
            // Nothing left to file.
            let empty = try await app.api(.POST, "/api/v1/filings", as: editor, json: #"{"agencyId":"\#(a.id!)"}"#)
            XCTAssertEqual(empty.status, .conflict)
        }
    }

    func testHuludaoChangeUnfiledAfterOneMonthIsOverdueWulongHasNoDeadline() async throws {
        try await withApp { app, clock in
            let admin = try await app.bearer("admin")
            // Seed: a Huludao change two months old (003 §9: file within 1 month).
            let hld = try await app.agency("huludao", "市教育局")
            let r1 = try await app.api(.GET, "/api/v1/agencies/\(hld.id!)/roster", as: admin).content.decode(RosterDTO.self)
            XCTAssertFalse(r1.unfiledChanges.isEmpty)
            XCTAssertTrue(r1.unfiledChanges.allSatisfy(\.overdue))
            XCTAssertEqual(r1.unfiledChanges.first?.dueSource, "003 §9")

            // A fresh Wulong change: no deadline in 001, never overdue.
            let wl = try await app.agency("wulong", "江口镇")
            let p = try await app.api(.POST, "/api/v1/people", as: admin, json: #"{"agencyId":"\#(wl.id!)","name":"新人"}"#).content.decode(PersonDTO.self)
            _ = try await app.api(.POST, "/api/v1/agencies/\(wl.id!)/positions", as: admin,
                                  json: #"{"personId":"\#(p.id)","kind":"spokesperson","startDate":"2026-01-05"}"#)
            clock.advance(90 * 86400)
            let admin2 = try await app.bearer("admin")  // login tokens last 12 hours
            let r2 = try await app.api(.GET, "/api/v1/agencies/\(wl.id!)/roster", as: admin2).content.decode(RosterDTO.self)
            XCTAssertEqual(r2.unfiledChanges.count, 1)
            XCTAssertFalse(r2.unfiledChanges[0].overdue)
            XCTAssertNil(r2.unfiledChanges[0].dueDate)

            // Filing it late marks the filing late.
            let filing = try await app.api(.POST, "/api/v1/filings", as: admin2, json: #"{"agencyId":"\#(hld.id!)"}"#).content.decode(FilingDTO.self)
            XCTAssertTrue(filing.late)
        }
    }

    func testPublishedEditionIsImmutableAndPublic() async throws {
        try await withApp { app, _ in
            let news = try await app.bearer("wulong-news")
            let res = try await app.api(.POST, "/api/v1/editions", as: news, json: #"{"jurisdictionId":"wulong","year":2026}"#)
            XCTAssertEqual(res.status, .created, res.body.string)
            let edition = try res.content.decode(EditionDTO.self)
            XCTAssertTrue(edition.entries.contains { $0.post == "新闻发言人" && $0.agency == "区发展和改革委员会" })
            XCTAssertFalse(edition.entries.contains { $0.post == "主要负责人" }, "principals are not on the published list")

            // A later change does not alter the published edition.
            let admin = try await app.bearer("admin")
            let a = try await app.agency("wulong", "区发展和改革委员会")
            let roster = try await app.api(.GET, "/api/v1/agencies/\(a.id!)/roster", as: admin).content.decode(RosterDTO.self)
            let sp = try XCTUnwrap(roster.positions.first { $0.kind == "spokesperson" })
            _ = try await app.api(.POST, "/api/v1/positions/\(sp.id)/end", as: admin, json: #"{"endDate":"2026-11-21"}"#)
            let publicJSON = try await app.sendRequest(.GET, "/api/v1/editions/\(edition.id)")
            XCTAssertEqual(publicJSON.status, .ok)
            XCTAssertEqual(try publicJSON.content.decode(EditionDTO.self).entries, edition.entries)
            XCTAssertFalse(publicJSON.body.string.contains("mobile"), "no personal data beyond the edition")
            let page = try await app.sendRequest(.GET, "/roster/\(edition.id)")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.string.contains("武隆区2026年度新闻发言人名单"))

            // A second edition of the same year is numbered; another jurisdiction's office may not publish here.
            let second = try await app.api(.POST, "/api/v1/editions", as: news, json: #"{"jurisdictionId":"wulong","year":2026}"#)
            XCTAssertEqual(try second.content.decode(EditionDTO.self).number, 2)
            let foreign = try await app.api(.POST, "/api/v1/editions", as: try await app.bearer("huludao-news"),
                                            json: #"{"jurisdictionId":"wulong","year":2026}"#)
            XCTAssertEqual(foreign.status, .notFound)
            let editor = try await app.api(.POST, "/api/v1/editions", as: try await app.bearer("wulong-fgw"),
                                           json: #"{"jurisdictionId":"wulong","year":2026}"#)
            XCTAssertEqual(editor.status, .forbidden)
        }
    }

    func testCSVImportRefusesWholeFileOnOneBadRowThenImports() async throws {
        try await withApp { app, _ in
            let admin = try await app.bearer("admin")
            var headers = admin
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            let header = RosterCSV.header.joined(separator: ",")
            let bad = "\u{FEFF}\(header)\n江口镇,新闻发言人,唐一,副镇长,,,,2026-11-01,,\n不存在的单位,新闻助理,王二,,,,,2026-11-01,,\n江口镇,发言人,李三,,,,,2026-13-01,,\n"
            let before = try await PositionModel.query(on: app.db).count()
            let res = try await app.sendRequest(.POST, "/api/v1/jurisdictions/wulong/roster.csv", headers: headers, body: ByteBuffer(string: bad))
            XCTAssertEqual(res.status, .unprocessableEntity)
            let body = try res.content.decode(FabuErrorMiddleware.Body.self)
            XCTAssertEqual(Set(body.fields.keys), ["line3", "line4"])
            XCTAssertTrue(body.fields["line4"]!.contains("第 4 行"))
            XCTAssertTrue(body.fields["line4"]!.contains("生效日期"))
            let after = try await PositionModel.query(on: app.db).count()
            XCTAssertEqual(before, after, "nothing imported")

            // Two spokespersons for one Wulong agency in the same file: the second row is refused.
            let limit = "\(header)\n江口镇,新闻发言人,唐一,副镇长,,,,2026-11-01,,\n江口镇,新闻发言人,唐二,副镇长,,,,2026-11-01,,\n"
            let res2 = try await app.sendRequest(.POST, "/api/v1/jurisdictions/wulong/roster.csv", headers: headers, body: ByteBuffer(string: limit))
            XCTAssertEqual(res2.status, .unprocessableEntity)
            XCTAssertEqual(try res2.content.decode(FabuErrorMiddleware.Body.self).fields.keys.sorted(), ["line3"])

            let good = "\(header)\n江口镇,新闻发言人,唐一,副镇长,023-1,138,a@b.cn,2026-11-01,,\n江口镇,新闻助理,\"唐, 二\",党政办主任,,,,2026/11/1,,\n"
            let ok = try await app.sendRequest(.POST, "/api/v1/jurisdictions/wulong/roster.csv", headers: headers, body: ByteBuffer(string: good))
            XCTAssertEqual(ok.status, .ok, ok.body.string)
            XCTAssertEqual(try ok.content.decode(ImportResultDTO.self).imported, 2)

            let export = try await app.api(.GET, "/api/v1/jurisdictions/wulong/roster.csv", as: admin)
            XCTAssertTrue(export.body.string.hasPrefix("\u{FEFF}单位,岗位"))
            XCTAssertTrue(export.body.string.contains("\"唐, 二\""))
        }
    }

    func testScriptInNamesRendersInert() async throws {
        try await withApp { app, _ in
            let admin = try await app.bearer("admin")
            let a = try await app.agency("wulong", "白马镇")
            let res = try await app.api(.POST, "/api/v1/people", as: admin,
                                        json: #"{"agencyId":"\#(a.id!)","name":"<script>alert(1)</script>","title":"\"><img src=x onerror=alert(2)>"}"#)
            XCTAssertEqual(res.status, .created)
            let browser = Browser(app)
            try await browser.login("admin")
            let page = try await browser.get("/admin/agencies/\(a.id!)")
            XCTAssertEqual(page.status, .ok)
            XCTAssertFalse(page.body.string.contains("<script>alert(1)"))
            XCTAssertFalse(page.body.string.contains("<img src=x"))
            XCTAssertTrue(page.body.string.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}
