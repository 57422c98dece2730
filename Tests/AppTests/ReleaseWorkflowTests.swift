@testable import App
import Core
import Fluent
import Vapor
import XCTest
import XCTVapor

/// A press conference walked through its whole life over the API, under `wulong` and under
/// `huludao`, and every refusal of issue #4.
final class ReleaseWorkflowTests: XCTestCase {
    // MARK: helpers

    struct Caller {
        let app: Application
        let headers: HTTPHeaders

        @discardableResult
        func send(_ method: HTTPMethod, _ path: String, _ json: String? = nil, expect status: HTTPStatus = .ok,
                  file: StaticString = #filePath, line: UInt = #line) async throws -> XCTHTTPResponse {
            let res = try await app.api(method, path, as: headers, json: json)
            XCTAssertEqual(res.status, status, "\(method) \(path): \(res.body.string.prefix(600))", file: file, line: line)
            return res
        }

        func activity(_ method: HTTPMethod, _ path: String, _ json: String? = nil, expect status: HTTPStatus = .ok,
                      file: StaticString = #filePath, line: UInt = #line) async throws -> ActivityDTO {
            let res = try await send(method, path, json, expect: status, file: file, line: line)
            return try res.content.decode(ActivityDTO.self)
        }

        func error(_ method: HTTPMethod, _ path: String, _ json: String? = nil, expect status: HTTPStatus,
                   file: StaticString = #filePath, line: UInt = #line) async throws -> FabuErrorMiddleware.Body {
            let res = try await send(method, path, json, expect: status, file: file, line: line)
            return try res.content.decode(FabuErrorMiddleware.Body.self)
        }

        /// Uploads `text` as a document of `kind`.
        @discardableResult
        func upload(_ id: UUID, _ kind: String, _ bytes: [UInt8]? = nil, filename: String? = nil, expect status: HTTPStatus = .created,
                    file: StaticString = #filePath, line: UInt = #line) async throws -> XCTHTTPResponse {
            var h = headers
            h.contentType = .binary
            let name = (filename ?? "\(kind).txt").addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let body = bytes ?? Array("\(kind) 正文".utf8)
            let res = try await app.sendRequest(.POST, "/api/v1/activities/\(id)/documents?kind=\(kind)&filename=\(name)",
                                                headers: h, body: ByteBuffer(bytes: body))
            XCTAssertEqual(res.status, status, res.body.string.prefix(400).description, file: file, line: line)
            return res
        }
    }

    func caller(_ app: Application, _ user: String) async throws -> Caller { Caller(app: app, headers: try await app.bearer(user)) }

    func person(_ app: Application, _ name: String) async throws -> UUID {
        try await XCTUnwrapAsync(try await PersonModel.query(on: app.db).filter(\.$name == name).first()?.id)
    }

    func XCTUnwrapAsync<T>(_ value: T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
        try XCTUnwrap(value, file: file, line: line)
    }

    // MARK: wulong

    func testWulongConferenceFromApplicationToArchivedBriefReport() async throws {
        try await withApp { app, clock in
            // setup
            let fgw = try await caller(app, "wulong-fgw")
            let head = try await caller(app, "wulong-fgw-head")
            let news = try await caller(app, "wulong-news")
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            // act: a thematic conference on Tuesday 2026-12-22, 21 working days ahead.
            var a = try await fgw.activity(.POST, "/api/v1/activities", """
            {"agencyId": "\(agency.id!)", "title": "武隆区冬季旅游惠民政策新闻发布会", "form": "pressConference",
             "category": "policyInterpretation", "conferenceClass": "thematic", "organiser": "ownNewsOffice",
             "level": "newsOffice", "startsAt": "2026-12-22 10:00", "summary": "发布冬季旅游惠民措施。"}
            """, expect: .created)
            let id = a.id
            // check: the press centre is the default venue (001 §15(五)); the application clock is open.
            XCTAssertEqual(a.venue, "武隆区新闻发布中心（区融媒体中心二楼）")
            XCTAssertEqual(a.stage, "draft")
            XCTAssertEqual(a.deadlines.first?.kind, "application")

            // Submitting without the documents of 001 §15(一) is refused with the list.
            let missing = try await fgw.error(.POST, "/api/v1/activities/\(id)/submit", "{}", expect: .unprocessableEntity)
            XCTAssertEqual(missing.error, "application_documents_missing")
            XCTAssertTrue(missing.message.contains("申报表（审批表）、工作方案、发布词（发布文稿）"), missing.message)
            for kind in ["applicationForm", "workPlan", "statement"] { try await fgw.upload(id, kind) }
            a = try await fgw.activity(.POST, "/api/v1/activities/\(id)/submit", "{}")
            XCTAssertEqual(a.stage, "signOff")

            // Only the agency principal signs off (001 §15(一)); the editor cannot.
            let notSignatory = try await fgw.error(.POST, "/api/v1/activities/\(id)/sign-off", #"{"decision":"approve"}"#, expect: .forbidden)
            XCTAssertEqual(notSignatory.error, "not_signatory")
            a = try await head.activity(.POST, "/api/v1/activities/\(id)/sign-off", #"{"decision":"approve","comment":"同意"}"#)
            XCTAssertEqual(a.stage, "review")
            // The review clock: 10 working days from Saturday 11-21 → Friday 12-04 (001 §15(二)).
            let review = try XCTUnwrap(a.deadlines.first { $0.kind == "review" })
            XCTAssertEqual(review.dueDay, "2026-12-04")
            XCTAssertTrue(review.source.hasPrefix("001 §15(二)"))
            XCTAssertEqual(a.deadlines.first { $0.kind == "application" }?.state, "met")

            // The news office returns it with a comment on the statement; it comes back round.
            let inbox = try await news.send(.GET, "/api/v1/activities/inbox").content.decode([ActivitySummaryDTO].self)
            XCTAssertTrue(inbox.contains { $0.id == id && $0.nextDeadline?.dueDay == "2026-12-04" })
            let bare = try await news.error(.POST, "/api/v1/activities/\(id)/review", #"{"decision":"return"}"#, expect: .unprocessableEntity)
            XCTAssertNotNil(bare.fields["comment"], "a return needs its reason")
            a = try await news.activity(.POST, "/api/v1/activities/\(id)/review",
                                        #"{"decision":"return","comment":"请补充数据来源","documentComments":{"statement":"第二段数据需注明来源"}}"#)
            XCTAssertEqual(a.stage, "returned")
            XCTAssertEqual(a.decisions.last?.documentComments["statement"], "第二段数据需注明来源")
            a = try await fgw.activity(.PATCH, "/api/v1/activities/\(id)", #"{"summary":"发布冬季旅游惠民措施（数据来源：区统计局）。"}"#)
            try await fgw.upload(id, "statement")
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(id)/submit", "{}")
            _ = try await head.activity(.POST, "/api/v1/activities/\(id)/sign-off", #"{"decision":"approve"}"#)
            a = try await news.activity(.POST, "/api/v1/activities/\(id)/review", #"{"decision":"approve","comment":"同意"}"#)
            XCTAssertEqual(a.stage, "approval")
            XCTAssertEqual(a.approvalChain, "本单位主要负责人或本单位新闻发言人")

            // Content approval by the principal (001 §15(三)) → preparing.
            a = try await head.activity(.POST, "/api/v1/activities/\(id)/approval", #"{"decision":"approve"}"#)
            XCTAssertEqual(a.stage, "preparing")
            // Not ready: the reviews, speakers and programme are missing.
            let notReady = try await fgw.error(.POST, "/api/v1/activities/\(id)/schedule", expect: .conflict)
            XCTAssertEqual(notReady.error, "not_ready")
            XCTAssertTrue(notReady.message.contains("保密审查"), notReady.message)
            XCTAssertTrue(notReady.message.contains("社会稳定风险评估"), notReady.message)
            XCTAssertTrue(notReady.message.contains("须确定主发布人"), notReady.message)
            XCTAssertTrue(notReady.message.contains("缺少记者提问环节"), notReady.message)

            _ = try await fgw.activity(.POST, "/api/v1/activities/\(id)/assessments",
                                       #"{"kind":"confidentiality","outcome":"passed","reviewer":"钱伟","comment":"不涉密"}"#)
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(id)/assessments",
                                       #"{"kind":"stability","outcome":"passed","reviewer":"赵志刚"}"#)
            let zhao = try await person(app, "赵志刚"), wang = try await person(app, "王晓燕")
            a = try await fgw.activity(.PUT, "/api/v1/activities/\(id)/participants", """
            {"participants": [{"role": "host", "personId": "\(wang)"}, {"role": "mainSpeaker", "personId": "\(zhao)"},
                              {"role": "expert", "name": "陈教授", "title": "重庆大学旅游学院"}]}
            """)
            XCTAssertEqual(a.participants.map(\.offices), [["新闻办主任（负责人）"], ["本单位主要负责人"], []])
            _ = try await fgw.activity(.PUT, "/api/v1/activities/\(id)/programme", """
            {"segments": [{"kind": "opening", "speaker": "王晓燕", "minutes": 5}, {"kind": "statement", "speaker": "赵志刚", "minutes": 20},
                          {"kind": "qa", "minutes": 30}]}
            """)
            a = try await fgw.activity(.POST, "/api/v1/activities/\(id)/schedule")
            XCTAssertEqual(a.stage, "scheduled")
            a = try await news.activity(.POST, "/api/v1/activities/\(id)/preview", #"{"liveUrl":"https://live.cqwulong.cn/20261222"}"#)
            XCTAssertNotNil(a.previewPublishedAt)

            // Held only once the time has come.
            let early = try await fgw.error(.POST, "/api/v1/activities/\(id)/hold", "{}", expect: .conflict)
            XCTAssertEqual(early.error, "not_yet")
            clock.advance(31 * 86_400 + 2 * 3600)  // 2026-12-22 12:00
            let fgwLater = try await caller(app, "wulong-fgw")  // the login token lasts 12 hours
            a = try await fgwLater.activity(.POST, "/api/v1/activities/\(id)/hold", #"{"videoUrl":"https://video.cqwulong.cn/20261222"}"#)
            XCTAssertEqual(a.stage, "held")
            _ = try await fgwLater.activity(.POST, "/api/v1/activities/\(id)/transcript", """
            {"entries": [{"speaker": "王晓燕", "text": "各位记者朋友，上午好。"}, {"speaker": "赵志刚", "text": "今冬全区推出12项惠民措施。"}]}
            """)
            _ = try await fgwLater.activity(.POST, "/api/v1/activities/\(id)/coverage",
                                       #"{"outlet":"重庆日报","title":"武隆推出冬季旅游惠民措施","url":"https://www.cqrb.cn/1","publishedOn":"2026-12-22"}"#)
            _ = try await fgwLater.activity(.POST, "/api/v1/activities/\(id)/evaluation", #"{"text":"报道12篇，网络阅读量20万。"}"#)
            a = try await fgwLater.activity(.POST, "/api/v1/activities/\(id)/brief-report", #"{"text":"简报：发布会于12月22日举行……"}"#)

            // check: closed, with the whole history and an audit record for every step.
            XCTAssertEqual(a.stage, "closed")
            XCTAssertEqual(a.transcript.map(\.speaker), ["王晓燕", "赵志刚"])
            XCTAssertEqual(a.coverage.first?.outlet, "重庆日报")
            XCTAssertEqual(a.decisions.filter { $0.kind == "review" }.map(\.outcome), ["returned", "approved"])
            XCTAssertEqual(a.timeline.map(\.action), [
                "create", "uploadDocument", "uploadDocument", "uploadDocument", "submit", "signOff", "returnReview", "edit",
                "uploadDocument", "submit", "signOff", "approveReview", "approve", "recordConfidentiality", "recordStability",
                "setParticipants", "setProgramme", "schedule", "publishPreview", "hold", "addTranscript", "addCoverage",
                "evaluate", "archiveBriefReport",
            ])
            try await expectCount(AuditEventModel.query(on: app.db).filter(\.$entityID == id.uuidString), a.timeline.count)
            // Closed records take no more steps.
            let closed = try await fgwLater.error(.POST, "/api/v1/activities/\(id)/withdraw", #"{"reason":"x"}"#, expect: .conflict)
            XCTAssertEqual(closed.error, "wrong_stage")
        }
    }

    // MARK: huludao

    func testHuludaoMajorConferenceWithMaterialsLimitsAndChangeAfterApproval() async throws {
        try await withApp { app, clock in
            let fgw = try await caller(app, "huludao-fgw")
            let head = try await caller(app, "huludao-fgw-head")
            let news = try await caller(app, "huludao-news")
            let agency = try await app.agency("huludao", "市发展和改革委员会")
            let other = try await app.agency("huludao", "市生态环境局")

            // A late application: 2026-11-27 is 5 working days away, 003 §31(一) needs 7.
            let late = try await fgw.activity(.POST, "/api/v1/activities", """
            {"agencyId": "\(agency.id!)", "title": "秋冬季大气污染防治联合新闻发布会", "form": "pressConference",
             "category": "publicConcern", "organiser": "ownNewsOffice", "level": "government", "major": true,
             "startsAt": "2026-11-27 09:30", "jointAgencyIds": ["\(other.id!)"]}
            """, expect: .created)
            XCTAssertEqual(late.agencies.map(\.lead), [true, false])
            try await fgw.upload(late.id, "applicationForm")
            let refused = try await fgw.error(.POST, "/api/v1/activities/\(late.id)/submit", "{}", expect: .unprocessableEntity)
            XCTAssertEqual(refused.error, "application_late")
            XCTAssertTrue(refused.message.contains("最早可安排在2026-12-01（星期二）"), refused.message)
            XCTAssertTrue(refused.message.contains("003 §31(一)"), refused.message)
            XCTAssertNotNil(refused.fields["startsAt"])
            // Urgent, with a reason: accepted, and the reason travels with it.
            var a = try await fgw.activity(.POST, "/api/v1/activities/\(late.id)/submit", #"{"urgentReason":"省生态环境厅通报后须及时回应"}"#)
            XCTAssertEqual(a.urgentReason, "省生态环境厅通报后须及时回应")
            let id = a.id
            a = try await head.activity(.POST, "/api/v1/activities/\(id)/sign-off", #"{"decision":"approve"}"#)
            XCTAssertEqual(a.deadlines.first { $0.kind == "review" }?.dueDay, "2026-11-24", "two working days (003 §31(一))")
            let inbox = try await news.send(.GET, "/api/v1/activities/inbox").content.decode([ActivitySummaryDTO].self)
            XCTAssertEqual(inbox.first { $0.id == id }?.urgent, true)
            a = try await news.activity(.POST, "/api/v1/activities/\(id)/review", #"{"decision":"approve"}"#)

            // A major matter climbs four stages (003 §31(二)); nobody decides twice.
            XCTAssertEqual(a.approvalChain, "本单位主要负责人 → 分管政府领导（副区长/副县长/副市长） → 宣传部分管部长 → 政府主要负责人（区长/县长/市长）")
            _ = try await head.activity(.POST, "/api/v1/activities/\(id)/approval", #"{"decision":"approve"}"#)
            let twice = try await head.error(.POST, "/api/v1/activities/\(id)/approval", #"{"decision":"approve"}"#, expect: .forbidden)
            XCTAssertEqual(twice.error, "repeat_approval")
            let mayorEarly = try await (try await caller(app, "huludao-mayor")).error(.POST, "/api/v1/activities/\(id)/approval", #"{"decision":"approve"}"#, expect: .forbidden)
            XCTAssertEqual(mayorEarly.error, "not_approver")
            for user in ["huludao-vice-mayor", "huludao-propaganda", "huludao-mayor"] {
                a = try await (try await caller(app, user)).activity(.POST, "/api/v1/activities/\(id)/approval", #"{"decision":"approve"}"#)
            }
            XCTAssertEqual(a.stage, "preparing")
            // Materials are due 3 working days before the event (003 §34): 11-27 → 11-24.
            XCTAssertEqual(a.deadlines.first { $0.kind == "materials" }?.dueDay, "2026-11-24")

            // Six on the podium and a 70-minute programme are refused with their rule.
            let dong = try await person(app, "董立"), ma = try await person(app, "马骏")
            let podium = try await fgw.error(.PUT, "/api/v1/activities/\(id)/participants", """
            {"participants": [{"role": "host", "personId": "\(ma)"}, {"role": "mainSpeaker", "personId": "\(dong)"},
              {"role": "speaker", "name": "甲"}, {"role": "speaker", "name": "乙"}, {"role": "speaker", "name": "丙"}, {"role": "expert", "name": "丁"}]}
            """, expect: .unprocessableEntity)
            XCTAssertEqual(podium.error, "participants_invalid")
            XCTAssertTrue(podium.message.contains("主席台人数为6人，超过上限5人（003 §33"), podium.message)
            _ = try await fgw.activity(.PUT, "/api/v1/activities/\(id)/participants", """
            {"participants": [{"role": "host", "personId": "\(ma)"}, {"role": "mainSpeaker", "personId": "\(dong)"},
              {"role": "speaker", "name": "陆敏", "title": "市生态环境局副局长"}, {"role": "guest", "name": "市民代表"}]}
            """)
            let long = try await fgw.error(.PUT, "/api/v1/activities/\(id)/programme", """
            {"segments": [{"kind": "opening", "minutes": 5}, {"kind": "statement", "speaker": "董立", "agencyId": "\(agency.id!)", "minutes": 15},
              {"kind": "statement", "speaker": "陆敏", "agencyId": "\(other.id!)", "minutes": 20}, {"kind": "qa", "minutes": 30}]}
            """, expect: .unprocessableEntity)
            XCTAssertTrue(long.message.contains("总时长70分钟，超过上限60分钟"), long.message)
            let leadTooLong = try await fgw.error(.PUT, "/api/v1/activities/\(id)/programme", """
            {"segments": [{"kind": "statement", "speaker": "董立", "agencyId": "\(agency.id!)", "minutes": 20}, {"kind": "qa", "minutes": 20}]}
            """, expect: .unprocessableEntity)
            XCTAssertTrue(leadTooLong.message.contains("主发布单位发布时间20分钟，超过上限15分钟"), leadTooLong.message)
            _ = try await fgw.activity(.PUT, "/api/v1/activities/\(id)/programme", """
            {"segments": [{"kind": "opening", "minutes": 5}, {"kind": "statement", "speaker": "董立", "agencyId": "\(agency.id!)", "minutes": 15},
              {"kind": "statement", "speaker": "陆敏", "agencyId": "\(other.id!)", "minutes": 10}, {"kind": "qa", "minutes": 25}]}
            """)

            // Missing materials block and are listed; oversized and HTML files are refused.
            let blocked = try await fgw.error(.POST, "/api/v1/activities/\(id)/schedule", expect: .conflict)
            XCTAssertTrue(blocked.message.contains("缺少会前材料：发布词（发布文稿）、主持词、答问口径、背景材料、会场方案（003 §34"), blocked.message)
            let big = try await fgw.upload(id, "statement", Array(repeating: 0x41, count: 1_048_577), expect: .unprocessableEntity)
            XCTAssertTrue(big.body.string.contains("attachment_too_large"))
            let html = try await fgw.upload(id, "statement", Array("<html><script>alert(1)</script></html>".utf8), filename: "发布词.pdf",
                                            expect: .unprocessableEntity)
            XCTAssertTrue(html.body.string.contains("attachment_type"))
            try await fgw.upload(id, "statement", Array("%PDF-1.4 发布词".utf8), filename: "../../etc/发布词.pdf")
            for kind in ["hostScript", "qaBrief", "background", "venuePlan"] { try await fgw.upload(id, kind) }
            a = try await fgw.activity(.GET, "/api/v1/activities/\(id)")
            XCTAssertEqual(a.deadlines.first { $0.kind == "materials" }?.state, "met")
            XCTAssertEqual(a.documents.first { $0.kind == "statement" }?.filename, "....etc发布词.pdf", "no path in a stored name")
            XCTAssertEqual(a.documents.first { $0.kind == "statement" }?.contentType, "application/pdf")
            XCTAssertEqual(a.blockers.count, 1, "\(a.blockers)")  // only the confidentiality review; no stability rule in 003
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(id)/assessments", #"{"kind":"confidentiality","outcome":"passed","reviewer":"范琳"}"#)
            a = try await fgw.activity(.POST, "/api/v1/activities/\(id)/schedule")
            XCTAssertEqual(a.stage, "scheduled")

            // Edit after approval is refused; a change goes back through approval, keeping history.
            let edit = try await fgw.error(.PATCH, "/api/v1/activities/\(id)", #"{"venue":"市政府第二会议室"}"#, expect: .conflict)
            XCTAssertEqual(edit.error, "approved_use_change")
            let noReason = try await fgw.error(.POST, "/api/v1/activities/\(id)/change", #"{"venue":"市政府第二会议室"}"#, expect: .unprocessableEntity)
            XCTAssertNotNil(noReason.fields["reason"])
            a = try await fgw.activity(.POST, "/api/v1/activities/\(id)/change", #"{"venue":"市政府第二会议室","reason":"新闻发布厅检修"}"#)
            XCTAssertEqual(a.stage, "review")
            XCTAssertEqual(a.round, 2)
            XCTAssertEqual(a.venue, "市政府第二会议室")
            XCTAssertEqual(a.decisions.filter { $0.round == 1 }.count, 7, "round 1 history kept")
            a = try await news.activity(.POST, "/api/v1/activities/\(id)/review", #"{"decision":"approve"}"#)
            for user in ["huludao-fgw-head", "huludao-vice-mayor", "huludao-propaganda", "huludao-mayor"] {
                a = try await (try await caller(app, user)).activity(.POST, "/api/v1/activities/\(id)/approval", #"{"decision":"approve"}"#)
            }
            XCTAssertEqual(a.blockers.count, 1, "the confidentiality review is redone for the new round: \(a.blockers)")
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(id)/assessments", #"{"kind":"confidentiality","outcome":"passed","reviewer":"范琳"}"#)
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(id)/schedule")
            clock.advance(6 * 86_400 + 3600)  // 2026-11-27 11:00
            let fgwLater = try await caller(app, "huludao-fgw")
            _ = try await fgwLater.activity(.POST, "/api/v1/activities/\(id)/hold", "{}")
            a = try await fgwLater.activity(.POST, "/api/v1/activities/\(id)/brief-report", #"{"text":"简报：联合发布会已举行。"}"#)
            XCTAssertEqual(a.stage, "closed")
            XCTAssertTrue(a.timeline.contains { $0.action == "change" && $0.note.contains("地点：市政府新闻发布厅 → 市政府第二会议室") })
        }
    }

    // MARK: scope, self-approval, downloads, the light path, series

    func testScopeSelfApprovalDownloadsAndTheLightPath() async throws {
        try await withApp { app, _ in
            let news = try await caller(app, "wulong-news")
            let fgw = try await caller(app, "wulong-fgw")
            let head = try await caller(app, "wulong-fgw-head")
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            // The news office prepares an event for the commission; it may not review its own submission.
            var a = try await news.activity(.POST, "/api/v1/activities", """
            {"agencyId": "\(agency.id!)", "title": "政策吹风会", "form": "pressConference", "category": "policyInterpretation",
             "startsAt": "2026-12-30 15:00"}
            """, expect: .created)
            for kind in ["applicationForm", "workPlan", "statement"] { try await news.upload(a.id, kind) }
            a = try await news.activity(.POST, "/api/v1/activities/\(a.id)/submit", "{}")
            _ = try await head.activity(.POST, "/api/v1/activities/\(a.id)/sign-off", #"{"decision":"approve"}"#)
            let own = try await news.error(.POST, "/api/v1/activities/\(a.id)/review", #"{"decision":"approve"}"#, expect: .forbidden)
            XCTAssertEqual(own.error, "self_approval")

            // Another jurisdiction sees nothing: not the record, not its documents, not in lists.
            let doc = try XCTUnwrap(a.documents.first)
            let huludao = try await caller(app, "huludao-news")
            try await huludao.send(.GET, "/api/v1/activities/\(a.id)", expect: .notFound)
            try await huludao.send(.GET, "/api/v1/activities/\(a.id)/documents/\(doc.id)", expect: .notFound)
            try await huludao.send(.POST, "/api/v1/activities/\(a.id)/withdraw", #"{"reason":"x"}"#, expect: .notFound)
            let list = try await huludao.send(.GET, "/api/v1/activities").content.decode([ActivitySummaryDTO].self)
            XCTAssertFalse(list.contains { $0.jurisdictionId == "wulong" })
            let otherEditor = try await caller(app, "wulong-jw")
            try await otherEditor.send(.GET, "/api/v1/activities/\(a.id)", expect: .notFound)

            // The download is an attachment of the sniffed type, never rendered.
            let file = try await fgw.send(.GET, "/api/v1/activities/\(a.id)/documents/\(doc.id)")
            XCTAssertEqual(file.headers.contentType?.description, "text/plain; charset=utf-8")
            XCTAssertTrue(file.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") ?? false)
            XCTAssertEqual(file.headers.first(name: "X-Content-Type-Options"), "nosniff")
            XCTAssertEqual(file.body.string, "\(doc.kind) 正文")

            // Withdrawn: the record and its history stay.
            a = try await fgw.activity(.POST, "/api/v1/activities/\(a.id)/withdraw", #"{"reason":"议题并入年度发布会"}"#)
            XCTAssertEqual(a.stage, "withdrawn")
            XCTAssertTrue(a.deadlines.allSatisfy { $0.state != "open" })

            // Light path: a written release is approved, reviewed for secrets, then released.
            var w = try await fgw.activity(.POST, "/api/v1/activities", """
            {"agencyId": "\(agency.id!)", "title": "关于天然气价格调整的说明", "form": "writtenRelease", "category": "publicConcern"}
            """, expect: .created)
            w = try await fgw.activity(.POST, "/api/v1/activities/\(w.id)/submit", "{}")
            XCTAssertEqual(w.stage, "approval")
            let selfApprove = try await fgw.error(.POST, "/api/v1/activities/\(w.id)/approval", #"{"decision":"approve"}"#, expect: .forbidden)
            XCTAssertEqual(selfApprove.error, "self_approval")
            w = try await head.activity(.POST, "/api/v1/activities/\(w.id)/approval", #"{"decision":"approve"}"#)
            XCTAssertEqual(w.stage, "approved")
            let unreviewed = try await fgw.error(.POST, "/api/v1/activities/\(w.id)/release", expect: .conflict)
            XCTAssertTrue(unreviewed.message.contains("保密审查"), unreviewed.message)
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(w.id)/assessments", #"{"kind":"confidentiality","outcome":"passed","reviewer":"钱伟"}"#)
            w = try await fgw.activity(.POST, "/api/v1/activities/\(w.id)/release")
            XCTAssertEqual(w.stage, "released")
        }
    }

    /// Loopholes found in review: each must stay closed.
    func testReturnsStartANewRoundLeadersSeeTheirOwnAndBadProgrammesAreRefused() async throws {
        try await withApp { app, clock in
            let fgw = try await caller(app, "wulong-fgw")
            let head = try await caller(app, "wulong-fgw-head")
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            // A head who returned a release approves the resubmission (a return starts a new round).
            var w = try await fgw.activity(.POST, "/api/v1/activities", """
            {"agencyId": "\(agency.id!)", "title": "答记者问", "form": "remoteAnswer", "category": "publicConcern"}
            """, expect: .created)
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(w.id)/submit", "{}")
            w = try await head.activity(.POST, "/api/v1/activities/\(w.id)/approval", #"{"decision":"return","comment":"口径再斟酌"}"#)
            XCTAssertEqual(w.round, 2)
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(w.id)/submit", "{}")
            w = try await head.activity(.POST, "/api/v1/activities/\(w.id)/approval", #"{"decision":"approve"}"#)
            XCTAssertEqual(w.stage, "approved")

            // Another department's head sees nothing of it; the deputy head of the level does.
            try await (try await caller(app, "wulong-jw-head")).send(.GET, "/api/v1/activities/\(w.id)", expect: .notFound)
            let jwHeadList = try await (try await caller(app, "wulong-jw-head")).send(.GET, "/api/v1/activities").content.decode([ActivitySummaryDTO].self)
            XCTAssertFalse(jwHeadList.contains { $0.agencyId == agency.id })
            try await (try await caller(app, "wulong-leader")).send(.GET, "/api/v1/activities/\(w.id)")

            // A conference for the programme and participant checks.
            var a = try await fgw.activity(.POST, "/api/v1/activities", """
            {"agencyId": "\(agency.id!)", "title": "发布会", "form": "pressConference", "category": "other", "startsAt": "2026-12-28 10:00"}
            """, expect: .created)
            let overflow = try await fgw.error(.PUT, "/api/v1/activities/\(a.id)/programme",
                                               #"{"segments":[{"kind":"qa","minutes":9223372036854775807},{"kind":"qa","minutes":1}]}"#,
                                               expect: .unprocessableEntity)
            XCTAssertNotNil(overflow.fields["segments[0].minutes"])
            let huludaoAgency = try await app.agency("huludao", "市发展和改革委员会")
            let foreign = try await fgw.error(.PUT, "/api/v1/activities/\(a.id)/programme", """
            {"segments":[{"kind":"statement","agencyId":"\(huludaoAgency.id!)","minutes":10},{"kind":"qa","minutes":10}]}
            """, expect: .unprocessableEntity)
            XCTAssertNotNil(foreign.fields["segments[0].agencyId"])
            let declared = try await fgw.error(.PUT, "/api/v1/activities/\(a.id)/participants",
                                               #"{"participants":[{"role":"mainSpeaker","name":"随便一人","office":"agencyPrincipal"}]}"#,
                                               expect: .unprocessableEntity)
            XCTAssertTrue(declared.message.contains("须从名册中选择人员"), declared.message)

            // A change after approval to a date inside the lead time needs an urgent reason.
            for kind in ["applicationForm", "workPlan", "statement"] { try await fgw.upload(a.id, kind) }
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(a.id)/submit", "{}")
            _ = try await head.activity(.POST, "/api/v1/activities/\(a.id)/sign-off", #"{"decision":"approve"}"#)
            _ = try await (try await caller(app, "wulong-news")).activity(.POST, "/api/v1/activities/\(a.id)/review", #"{"decision":"approve"}"#)
            a = try await head.activity(.POST, "/api/v1/activities/\(a.id)/approval", #"{"decision":"approve"}"#)
            XCTAssertEqual(a.deadlines.first { $0.kind == "review" }?.state, "met")
            let tooSoon = try await fgw.error(.POST, "/api/v1/activities/\(a.id)/change",
                                              #"{"startsAt":"2026-11-24 10:00","reason":"提前"}"#, expect: .unprocessableEntity)
            XCTAssertEqual(tooSoon.error, "application_late")
            a = try await fgw.activity(.POST, "/api/v1/activities/\(a.id)/change",
                                       #"{"startsAt":"2026-11-24 10:00","reason":"提前","urgentReason":"区委临时部署"}"#)
            XCTAssertEqual(a.urgentReason, "区委临时部署")
            // The new review is answered after its clock: kept as late, not met.
            clock.advance(30 * 86_400)
            a = try await (try await caller(app, "wulong-news")).activity(.POST, "/api/v1/activities/\(a.id)/review", #"{"decision":"reject","comment":"时间已过"}"#)
            XCTAssertEqual(a.deadlines.filter { $0.kind == "review" }.map(\.state), ["met", "late"])
        }
    }

    func testTheTopNewsOfficesOwnConferenceGoesStraightToContentApproval() async throws {
        try await withApp { app, _ in
            let news = try await caller(app, "wulong-news")
            let office = try await app.agency("wulong", "区政府新闻办")
            let a = try await news.activity(.POST, "/api/v1/activities", """
            {"agencyId": "\(office.id!)", "title": "年度新闻记者招待会", "form": "pressConference", "category": "other", "startsAt": "2026-12-29 10:00"}
            """, expect: .created)
            for kind in ["applicationForm", "workPlan", "statement"] { try await news.upload(a.id, kind) }
            _ = try await news.activity(.POST, "/api/v1/activities/\(a.id)/submit", "{}")
            // A principal of the news office signs off; no office above it reviews.
            let director = try await app.api(.POST, "/api/v1/users", as: try await app.bearer("admin"), json: """
            {"username":"wulong-news-head","displayName":"王晓燕","password":"\(demoPassword)","role":"approver",
             "agencyId":"\(office.id!)","offices":["agencyPrincipal"]}
            """)
            XCTAssertEqual(director.status, .created, director.body.string)
            let signed = try await (try await caller(app, "wulong-news-head")).activity(.POST, "/api/v1/activities/\(a.id)/sign-off", #"{"decision":"approve"}"#)
            XCTAssertEqual(signed.stage, "approval")
            XCTAssertTrue(signed.timeline.last?.note.contains("直接进入内容审定") ?? false)
        }
    }

    func testHuludaoLightPathHasTheTenWorkingDayReleaseClock() async throws {
        try await withApp { app, _ in
            let fgw = try await caller(app, "huludao-fgw")
            let head = try await caller(app, "huludao-fgw-head")
            let agency = try await app.agency("huludao", "市发展和改革委员会")
            var w = try await fgw.activity(.POST, "/api/v1/activities", """
            {"agencyId": "\(agency.id!)", "title": "电价政策答问", "form": "remoteAnswer", "category": "policyInterpretation"}
            """, expect: .created)
            _ = try await fgw.activity(.POST, "/api/v1/activities/\(w.id)/submit", "{}")
            w = try await head.activity(.POST, "/api/v1/activities/\(w.id)/approval", #"{"decision":"approve"}"#)
            // 003 §19: within 10 working days of being finalised; 11-21 (Sat) + 10 → 12-04.
            let clock = try XCTUnwrap(w.deadlines.first { $0.kind == "release" })
            XCTAssertEqual(clock.dueDay, "2026-12-04")
            XCTAssertTrue(clock.source.hasPrefix("003 §19"))
            let all = try await fgw.send(.GET, "/api/v1/deadlines").content.decode([DeadlineDTO].self)
            XCTAssertTrue(all.contains { $0.id == clock.id })
        }
    }

    func testScheduledSeriesOneApprovalManySittings() async throws {
        try await withApp { app, clock in
            let jw = try await caller(app, "wulong-jw")
            let wjw = try await app.agency("wulong", "区卫生健康委员会")
            let jwAgency = try await app.agency("wulong", "区教育委员会")
            // 001 §15(七) allows a series; 003 has none.
            let huludao = try await caller(app, "huludao-fgw")
            let hAgency = try await app.agency("huludao", "市发展和改革委员会")
            let refused = try await huludao.error(.POST, "/api/v1/activities", """
            {"agencyId": "\(hAgency.id!)", "title": "疫情防控定时发布", "form": "pressConference", "category": "emergency",
             "startsAt": "2026-12-10 16:00", "series": true}
            """, expect: .unprocessableEntity)
            XCTAssertNotNil(refused.fields["series"])
            // Another agency's record: the wulong education editor cannot create for health.
            try await jw.send(.POST, "/api/v1/activities", """
            {"agencyId": "\(wjw.id!)", "title": "x", "form": "writtenRelease", "category": "other"}
            """, expect: .notFound)
            // An emergency-class series skips the lead time (fast path) and holds many sittings.
            let news = try await caller(app, "wulong-news")
            var a = try await jw.activity(.POST, "/api/v1/activities", """
            {"agencyId": "\(jwAgency.id!)", "title": "流感疫情防控定时发布", "form": "pressConference", "category": "emergency",
             "conferenceClass": "emergency", "startsAt": "2026-11-23 16:00", "series": true}
            """, expect: .created)
            for kind in ["applicationForm", "workPlan", "statement"] { try await jw.upload(a.id, kind) }
            _ = try await jw.activity(.POST, "/api/v1/activities/\(a.id)/submit", "{}")
            _ = try await (try await caller(app, "wulong-jw-head")).activity(.POST, "/api/v1/activities/\(a.id)/sign-off", #"{"decision":"approve"}"#)
            _ = try await news.activity(.POST, "/api/v1/activities/\(a.id)/review", #"{"decision":"approve"}"#)
            a = try await (try await caller(app, "wulong-jw-head")).activity(.POST, "/api/v1/activities/\(a.id)/approval", #"{"decision":"approve"}"#)
            XCTAssertEqual(a.stage, "preparing")
            for day in ["2026-11-24 16:00", "2026-11-25 16:00"] {
                a = try await jw.activity(.POST, "/api/v1/activities/\(a.id)/sittings", #"{"startsAt":"\#(day)"}"#)
            }
            XCTAssertEqual(a.sittings.map(\.number), [1, 2])
            let li = try await person(app, "李红梅"), wang = try await person(app, "王晓燕")
            _ = try await jw.activity(.PUT, "/api/v1/activities/\(a.id)/participants",
                                      #"{"participants":[{"role":"host","personId":"\#(wang)"},{"role":"mainSpeaker","personId":"\#(li)"}]}"#)
            _ = try await jw.activity(.PUT, "/api/v1/activities/\(a.id)/programme", #"{"segments":[{"kind":"statement","minutes":10},{"kind":"qa","minutes":10}]}"#)
            for kind in ["confidentiality", "stability"] {
                _ = try await jw.activity(.POST, "/api/v1/activities/\(a.id)/assessments", #"{"kind":"\#(kind)","outcome":"passed","reviewer":"郑敏"}"#)
            }
            _ = try await jw.activity(.POST, "/api/v1/activities/\(a.id)/schedule")
            clock.advance(3 * 86_400 + 7 * 3600)  // 2026-11-24 17:00
            let jwLater = try await caller(app, "wulong-jw")
            a = try await jwLater.activity(.POST, "/api/v1/activities/\(a.id)/sittings/1/hold")
            XCTAssertEqual(a.sittings.map(\.held), [true, false])
            let early = try await jwLater.error(.POST, "/api/v1/activities/\(a.id)/sittings/2/hold", expect: .conflict)
            XCTAssertEqual(early.error, "not_yet")
            _ = try await jwLater.activity(.POST, "/api/v1/activities/\(a.id)/transcript", #"{"sitting":1,"entries":[{"speaker":"李红梅","text":"今日新增病例……"}]}"#)
        }
    }
}

/// The review clock of the seeded Wulong conference, seen from the news office's inbox.
final class ReviewClockTests: XCTestCase {
    func testAReviewPastItsClockIsOverdueInTheInbox() async throws {
        try await withApp { app, clock in
            // setup: the demo conference was signed off on Saturday 2026-11-21; 10 working days → 12-04.
            func inbox() async throws -> ActivitySummaryDTO? {
                let news = try await app.bearer("wulong-news")
                return try await app.api(.GET, "/api/v1/activities/inbox", as: news).content.decode([ActivitySummaryDTO].self)
                    .first { $0.stage == "review" }
            }
            let first = try await inbox()
            let before = try XCTUnwrap(first)
            XCTAssertEqual(before.nextDeadline?.dueDay, "2026-12-04")
            XCTAssertEqual(before.nextDeadline?.overdue, false)
            // act: the last minute of the due day, then the first of the next.
            clock.advance(13 * 86_400 + 13 * 3600 + 59 * 60)  // 2026-12-04 23:59
            let lastMinute = try await inbox()
            XCTAssertEqual(lastMinute?.nextDeadline?.overdue, false)
            clock.advance(60)
            // check
            let nextDay = try await inbox()
            XCTAssertEqual(nextDay?.nextDeadline?.overdue, true)
        }
    }
}
