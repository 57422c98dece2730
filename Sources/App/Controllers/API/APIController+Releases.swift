import Core
import Fluent
import Vapor

/// `/api/v1/activities`: release activities and the press-conference workflow (SPEC §2–§4).
extension APIController {
    func bootReleases(_ authed: RoutesBuilder, maxUpload: Int) {
        let a = authed.grouped("activities")
        a.get(use: listActivities)
        a.post(use: createActivity)
        a.get("inbox", use: activityInbox)
        a.get(":activityID", use: activity)
        a.patch(":activityID", use: editActivity)
        a.post(":activityID", "submit") { req in try await act(req) { s, id in try await s.submit(id, req.content.decode(SubmitInput.self)) } }
        a.post(":activityID", "sign-off") { req in try await act(req) { s, id in try await s.signOff(id, req.content.decode(DecisionInput.self)) } }
        a.post(":activityID", "review") { req in try await act(req) { s, id in try await s.review(id, req.content.decode(DecisionInput.self)) } }
        a.post(":activityID", "approval") { req in try await act(req) { s, id in try await s.approve(id, req.content.decode(DecisionInput.self)) } }
        a.post(":activityID", "assessments") { req in try await act(req) { s, id in try await s.assess(id, req.content.decode(AssessmentInput.self)) } }
        a.put(":activityID", "participants") { req in try await act(req) { s, id in try await s.setParticipants(id, req.content.decode(ParticipantsInput.self)) } }
        a.put(":activityID", "programme") { req in try await act(req) { s, id in try await s.setProgramme(id, req.content.decode(ProgrammeInput.self)) } }
        a.post(":activityID", "schedule") { req in try await act(req) { s, id in try await s.schedule(id) } }
        a.post(":activityID", "preview") { req in try await act(req) { s, id in try await s.publishPreview(id, req.content.decode(PreviewInput.self)) } }
        a.post(":activityID", "change") { req in try await act(req) { s, id in try await s.change(id, req.content.decode(ChangeInput.self)) } }
        a.post(":activityID", "hold") { req in try await act(req) { s, id in try await s.hold(id, req.content.decode(HoldInput.self)) } }
        a.post(":activityID", "release") { req in try await act(req) { s, id in try await s.release(id) } }
        a.post(":activityID", "transcript") { req in try await act(req) { s, id in try await s.addTranscript(id, req.content.decode(TranscriptInput.self)) } }
        a.post(":activityID", "coverage") { req in try await act(req) { s, id in try await s.addCoverage(id, req.content.decode(CoverageInput.self)) } }
        a.post(":activityID", "evaluation") { req in try await act(req) { s, id in try await s.evaluate(id, req.content.decode(TextInput.self)) } }
        a.post(":activityID", "brief-report") { req in try await act(req) { s, id in try await s.archiveBriefReport(id, req.content.decode(TextInput.self)) } }
        a.post(":activityID", "withdraw") { req in try await act(req) { s, id in try await s.withdraw(id, req.content.decode(ReasonInput.self)) } }
        a.post(":activityID", "sittings") { req in try await act(req) { s, id in try await s.addSitting(id, req.content.decode(SittingInput.self)) } }
        a.post(":activityID", "sittings", ":number", "hold") { req in
            try await act(req) { s, id in try await s.holdSitting(id, number: req.parameters.get("number", as: Int.self)) }
        }
        // The body is the file itself; a little over the limit is collected so the refusal is ours, in Chinese.
        a.on(.POST, ":activityID", "documents", body: .collect(maxSize: ByteCount(value: maxUpload + 65_536)), use: uploadDocument)
        a.get(":activityID", "documents", ":documentID", use: downloadDocument)
        authed.get("deadlines", use: deadlines)
    }

    /// Runs one workflow command and answers with the whole record.
    private func act(_ req: Request, _ command: (ReleaseService, UUID?) async throws -> ReleaseActivityModel) async throws -> ActivityDTO {
        let s = try await req.releaseService()
        let a = try await command(s, req.parameters.get("activityID", as: UUID.self))
        return try await s.detail(a)
    }

    func listActivities(req: Request) async throws -> [ActivitySummaryDTO] {
        let s = try await req.releaseService()
        var filter = ReleaseService.ListFilter()
        if let raw = req.query[String.self, at: "stage"] {
            guard let stage = ActivityStage(rawValue: raw) else {
                throw DomainError.field("stage", label: "状态", "无效，应为：\(ActivityStage.allCases.map(\.rawValue).joined(separator: "、"))")
            }
            filter.stage = stage
        }
        if let raw = req.query[String.self, at: "agencyId"] {
            guard let id = UUID(uuidString: raw) else { throw DomainError.field("agencyId", label: "单位", "编号格式无效") }
            filter.agency = id
        }
        if let f = req.query[String.self, at: "from"] {
            filter.from = try WorkingCalendar.date(f, field: "from", label: "开始日期").startOfDay
        }
        if let t = req.query[String.self, at: "to"] {
            filter.to = try WorkingCalendar.date(t, field: "to", label: "结束日期").adding(days: 1).startOfDay
        }
        return try await s.summaries(try await s.list(filter))
    }

    func activityInbox(req: Request) async throws -> [ActivitySummaryDTO] {
        let s = try await req.releaseService()
        return try await s.summaries(try await s.inbox(), sortByDue: true)
    }

    func createActivity(req: Request) async throws -> Response {
        let s = try await req.releaseService()
        let a = try await s.create(try req.content.decode(ActivityInput.self))
        return try await s.detail(a).encodeResponse(status: .created, for: req)
    }

    func activity(req: Request) async throws -> ActivityDTO {
        let s = try await req.releaseService()
        return try await s.detail(try await s.activity(req.parameters.get("activityID", as: UUID.self)))
    }

    func editActivity(req: Request) async throws -> ActivityDTO {
        try await act(req) { s, id in try await s.edit(id, req.content.decode(ActivityInput.self)) }
    }

    /// `POST …/documents?kind=statement&filename=发布词.pdf&public=false` with the file as the body.
    func uploadDocument(req: Request) async throws -> Response {
        let s = try await req.releaseService()
        let bytes = req.body.data.map { Array($0.readableBytesView) } ?? []
        var isPublic = false
        if let raw = req.query[String.self, at: "public"] {
            guard let flag = Bool(raw) else { throw DomainError.field("public", label: "是否公开", "应为 true 或 false") }
            isPublic = flag
        }
        let doc = try await s.upload(req.parameters.get("activityID", as: UUID.self), kind: req.query[String.self, at: "kind"],
                                     filename: req.query[String.self, at: "filename"], isPublic: isPublic, bytes: bytes)
        return try await DocumentDTO(doc).encodeResponse(status: .created, for: req)
    }

    func downloadDocument(req: Request) async throws -> Response {
        let s = try await req.releaseService()
        let (doc, data) = try await s.download(req.parameters.get("activityID", as: UUID.self),
                                               document: req.parameters.get("documentID", as: UUID.self))
        return DocumentResponse.make(doc, data)
    }

    func deadlines(req: Request) async throws -> [DeadlineDTO] {
        let s = try await req.releaseService()
        return try await s.openDeadlines().map { DeadlineDTO($0, now: req.now) }
    }
}

/// A stored document sent back: always as a download, with the sniffed type, never rendered.
enum DocumentResponse {
    static func make(_ doc: ActivityDocumentModel, _ data: Data) -> Response {
        let res = Response(status: .ok, body: .init(data: data))
        res.headers.replaceOrAdd(name: .contentType, value: doc.contentType)
        let ascii = doc.filename.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" } ? doc.filename : "document"
        let encoded = doc.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document"
        res.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        res.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        res.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return res
    }
}
