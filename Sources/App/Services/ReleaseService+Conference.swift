import Core
import Crypto
import Fluent
import Vapor

/// Preparing, holding and closing an activity (SPEC §4.5–§4.12).
extension ReleaseService {
    // MARK: participants and programme

    /// Speakers, host, experts and guests, checked against the speaker rules and the podium
    /// limit of the profile when they are entered (001 §15(四); 003 §33).
    func setParticipants(_ id: UUID?, _ input: ParticipantsInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .draft, .returned, .preparing, .scheduled, .approved, doing: "确定发布人")
        guard input.participants.count <= 50 else { throw DomainError.field("participants", label: "参加人员", "不能超过50人") }
        var draft: [ActivityParticipantModel] = []
        var v = Validator()
        for (i, p) in input.participants.enumerated() {
            let role = ParticipantRole(rawValue: p.role)
            if role == nil { v.add("participants[\(i)].role", "第\(i + 1)人的角色无效，应为：\(ParticipantRole.allCases.map(\.rawValue).joined(separator: "、"))") }
            let row = ActivityParticipantModel()
            row.activityID = a.id!
            row.position = i
            row.role = p.role
            row.onPodium = p.onPodium ?? (role?.onPodiumByDefault ?? true)
            var offices: Set<Official> = []
            if let personID = p.personId {
                // Any person of the jurisdiction: the host is often from the news office.
                guard let person = try await PersonModel.find(personID, on: db),
                      let agency = try await AgencyModel.find(person.agencyID, on: db), agency.jurisdictionID == a.jurisdictionID else {
                    throw DomainError.notFound("人员")
                }
                row.personID = personID
                row.agencyID = agency.id
                row.name = person.name
                row.title = person.title
                let held = try await PositionModel.query(on: db).filter(\.$personID == personID).all().map(\.term)
                    .filter { $0.isHeld(on: a.eventDay ?? today) }
                for t in held { if let o = t.kind.office(at: agency.kind) { offices.insert(o) } }
            } else {
                row.name = v.text(p.name, field: "participants[\(i)].name", label: "第\(i + 1)人的姓名", max: 50) ?? ""
                row.title = v.text(p.title, field: "participants[\(i)].title", label: "第\(i + 1)人的职务", required: false, max: 100) ?? ""
            }
            if let raw = p.office, !raw.isEmpty {
                // Only offices the roster cannot show (分管副区长, 授权的负责人…) may be declared; a
                // principal, spokesperson or news-office post must be picked from the roster.
                guard let o = Official(rawValue: raw) else {
                    v.add("participants[\(i)].office", "第\(i + 1)人的职务类别无效"); continue
                }
                guard Self.declarableOffices.contains(o) else {
                    v.add("participants[\(i)].office", "第\(i + 1)人：“\(o.label)”须从名册中选择人员，不能自行填写"); continue
                }
                offices.insert(o)
            }
            row.offices = offices.map(\.rawValue).sorted().joined(separator: ",")
            draft.append(row)
        }
        try v.check()
        let rows = draft
        if a.formValue.isConference {
            let checks = try await checks(for: a)
            try checks.checkParticipants(rows.map { r in
                .init(name: r.name, role: ParticipantRole(rawValue: r.role)!, offices: Set(r.offices.split(separator: ",").compactMap { Official(rawValue: String($0)) }),
                      onPodium: r.onPodium)
            }, level: a.levelValue)
        }
        let from = a.stageValue
        try await db.transaction { tx in
            try await ActivityParticipantModel.query(on: tx).filter(\.$activityID == a.id!).delete()
            for r in rows { try await r.create(on: tx) }
            try await record(a, .setParticipants, from: from,
                             note: rows.map { "\(ParticipantRole(rawValue: $0.role)!.label)：\($0.name)" }.joined(separator: "；"), on: tx)
        }
        return a
    }

    /// Offices no roster post carries, which a participant may be declared to hold.
    static let declarableOffices: Set<Official> = [.deputyHead, .authorisedLeader, .deputySecretaryGeneral, .partySecretary,
                                                  .propagandaDeputy, .superiorAuthority]

    /// The programme, checked against the event limits of the profile (003 §33).
    func setProgramme(_ id: UUID?, _ input: ProgrammeInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .draft, .returned, .preparing, .scheduled, doing: "确定议程")
        guard input.segments.count <= 50 else { throw DomainError.field("segments", label: "议程", "不能超过50项") }
        var v = Validator()
        let ownAgencies = Set(try await ActivityAgencyModel.query(on: db).filter(\.$activityID == a.id!).all().map(\.agencyID))
        var draft: [ActivitySegmentModel] = []
        for (i, s) in input.segments.enumerated() {
            let kind = SegmentKind(rawValue: s.kind)
            if kind == nil { v.add("segments[\(i)].kind", "第\(i + 1)项的类别无效，应为：\(SegmentKind.allCases.map(\.rawValue).joined(separator: "、"))") }
            let row = ActivitySegmentModel()
            row.activityID = a.id!
            row.position = i
            row.kind = s.kind
            row.title = v.text(s.title, field: "segments[\(i)].title", label: "第\(i + 1)项的内容", required: false, max: 200) ?? (kind?.label ?? "")
            row.speaker = v.text(s.speaker, field: "segments[\(i)].speaker", label: "第\(i + 1)项的发言人", required: false, max: 100) ?? ""
            if let agency = s.agencyId, !ownAgencies.contains(agency) {
                v.add("segments[\(i)].agencyId", "第\(i + 1)项的发言单位须为本次发布的牵头或联合发布单位")
            }
            row.agencyID = s.agencyId
            row.minutes = s.minutes
            draft.append(row)
        }
        try v.check()
        let rows = draft
        let joint = try await ActivityAgencyModel.query(on: db).filter(\.$activityID == a.id!).count() > 1
        let checks = try await checks(for: a)
        try checks.checkProgramme(rows.map { .init(kind: SegmentKind(rawValue: $0.kind)!, speaker: $0.speaker, agencyID: $0.agencyID?.uuidString, minutes: $0.minutes) },
                                  form: a.formValue, jointLeadAgency: joint ? a.agencyID.uuidString : nil)
        let from = a.stageValue
        try await db.transaction { tx in
            try await ActivitySegmentModel.query(on: tx).filter(\.$activityID == a.id!).delete()
            for r in rows { try await r.create(on: tx) }
            try await record(a, .setProgramme, from: from, note: "共\(rows.count)项，\(rows.reduce(0) { $0 + $1.minutes })分钟", on: tx)
        }
        return a
    }

    // MARK: documents

    /// Stores an uploaded document: size- and type-checked by its bytes, kept under the data
    /// directory by a random key (never by its name), then recorded.
    func upload(_ id: UUID?, kind: String?, filename: String?, isPublic: Bool, bytes: [UInt8]) async throws -> ActivityDocumentModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .draft, .returned, .preparing, .approved, .scheduled, .held, doing: "上传材料")
        guard let kind, DocumentKinds.all.contains(kind) else {
            throw DomainError.field("kind", label: "材料类别", "应为：\(DocumentKinds.all.joined(separator: "、"))")
        }
        // The name is only shown: path separators and control characters are dropped.
        let cleaned = String((filename ?? "").unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != "/" && $0 != "\\" })
            .trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty, cleaned.count <= 200 else {
            throw DomainError.field("filename", label: "文件名", "不能为空，且不超过200个字符")
        }
        let type = try AttachmentSniffer.sniff(bytes, filename: cleaned, maxBytes: app.settings.maxUploadBytes)
        let key = UUID().uuidString.lowercased()
        let dir = app.settings.attachmentsDirectory
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + key
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw DomainError(.conflict, code: "storage_failed", message: "文件保存失败，请联系管理员检查数据目录。")
        }
        let doc = ActivityDocumentModel()
        doc.activityID = a.id!
        doc.kind = kind
        doc.filename = cleaned
        doc.contentType = type.mimeType
        doc.size = bytes.count
        doc.sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        doc.storageKey = key
        doc.isPublic = isPublic
        doc.round = a.round
        doc.uploadedBy = userID
        doc.uploadedAt = now
        let materialsDue = try await DeadlineModel.query(on: db).filter(\.$subjectID == a.id!)
            .filter(\.$kind == DeadlineKind.materials.rawValue).filter(\.$state != "cancelled").sort(\.$round, .descending).first()
        doc.late = materialsDue.map { now >= $0.dueAt } ?? false
        let checks = try await checks(for: a)
        do {
            try await db.transaction { tx in
                try await doc.create(on: tx)
                let filed = try await filedDocuments(a, on: tx)
                if checks.missingMaterials(filed: filed).isEmpty, a.stageValue.isApproved {
                    try await closeDeadlines(a, kinds: [.materials], state: "met", on: tx)
                }
                let label = DocumentKinds.label(kind)
                try await record(a, .uploadDocument, from: a.stageValue,
                                 note: "\(label)：\(cleaned)（\(type.fileExtension)，\(bytes.count) 字节）" + (doc.late ? "，逾期报送" : ""), on: tx)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return doc
    }

    /// A document of an activity the caller may see, with its bytes.
    func download(_ id: UUID?, document: UUID?) async throws -> (ActivityDocumentModel, Data) {
        let a = try await activity(id)
        guard let document, let doc = try await ActivityDocumentModel.find(document, on: db), doc.activityID == a.id else {
            throw DomainError.notFound("材料")
        }
        // The key is ours (a UUID); refuse anything else rather than build a path from it.
        guard UUID(uuidString: doc.storageKey) != nil,
              let data = FileManager.default.contents(atPath: app.settings.attachmentsDirectory + "/" + doc.storageKey) else {
            throw DomainError.notFound("材料文件")
        }
        return (doc, data)
    }

    // MARK: scheduling

    /// What still stands between a prepared conference and its schedule (SPEC §4.4–§4.7).
    func blockers(_ a: ReleaseActivityModel) async throws -> [String] {
        let profile = try await profile(jurisdiction: a.jurisdictionID)
        let rules = profile.conference
        var out: [String] = []
        let decisions = try await ActivityDecisionModel.query(on: db).filter(\.$activityID == a.id!).filter(\.$round == a.round).all()
        func latest(_ kind: DecisionKind) -> ActivityDecisionModel? {
            decisions.filter { $0.kind == kind.rawValue }.max { $0.decidedAt < $1.decidedAt }
        }
        // Every release passes a confidentiality review (001 §18(五); 003 §39(六) name its absence a violation).
        if latest(.confidentiality)?.outcome != "passed" {
            out.append("尚未通过保密审查（\(rules.confidentialityReview.source)）")
        }
        if a.formValue.isConference {
            if rules.stabilityRiskAssessment.value, latest(.stability)?.outcome != "passed" {
                out.append("尚未完成社会稳定风险评估（\(rules.stabilityRiskAssessment.source)）")
            }
            let calendar = try await CalendarService(db: db, app: app, audit: audit).calendar(jurisdiction: a.jurisdictionID)
            let checks = ConferenceChecks(rules: rules, calendar: calendar)
            let missing = checks.missingMaterials(filed: try await filedDocuments(a))
            if !missing.isEmpty {
                out.append("缺少会前材料：\(missing.map(\.label).joined(separator: "、"))（\(ConferenceChecks.cite(rules.materials))）")
            }
            let participants = try await ActivityParticipantModel.query(on: db).filter(\.$activityID == a.id!).all()
            do {
                try checks.checkParticipants(participants.map {
                    .init(name: $0.name, role: ParticipantRole(rawValue: $0.role) ?? .guest,
                          offices: Set($0.offices.split(separator: ",").compactMap { Official(rawValue: String($0)) }), onPodium: $0.onPodium)
                }, level: a.levelValue)
            } catch { out.append(String(error.message.dropLast())) }
            let segments = try await ActivitySegmentModel.query(on: db).filter(\.$activityID == a.id!).sort(\.$position).all()
            let joint = try await ActivityAgencyModel.query(on: db).filter(\.$activityID == a.id!).count() > 1
            do {
                try checks.checkProgramme(segments.map { .init(kind: SegmentKind(rawValue: $0.kind) ?? .other, speaker: $0.speaker,
                                                               agencyID: $0.agencyID?.uuidString, minutes: $0.minutes) },
                                          form: a.formValue, jointLeadAgency: joint ? a.agencyID.uuidString : nil)
            } catch { out.append(String(error.message.dropLast())) }
            if let s = a.startsAt, s <= now { out.append("举行时间已过，请先变更时间") }
        }
        return out
    }

    func schedule(_ id: UUID?) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .preparing, doing: "排期")
        let blocking = try await blockers(a)
        guard blocking.isEmpty else {
            throw DomainError(.conflict, code: "not_ready", message: "尚不能排期：" + blocking.joined(separator: "；") + "。",
                              fields: ["blockers": blocking.joined(separator: "\n")])
        }
        try await db.transaction { tx in
            a.stage = ActivityStage.scheduled.rawValue
            try await a.update(on: tx)
            try await record(a, .schedule, from: .preparing, note: a.startsAt.map { "\(HourClock.wallTime($0))，\(a.venue)" } ?? "", on: tx)
        }
        return a
    }

    /// 发布预告 with time and place, and the live-stream link (001 §15(六)).
    func publishPreview(_ id: UUID?, _ input: PreviewInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .scheduled, doing: "发布预告")
        let live = try urlValue(input.liveUrl, field: "liveUrl", label: "直播链接", required: false)
        try await db.transaction { tx in
            a.previewPublishedAt = now
            if let live { a.liveURL = live }
            try await a.update(on: tx)
            try await record(a, .publishPreview, from: .scheduled,
                             note: "\(a.startsAt.map(HourClock.wallTime) ?? "")，\(a.venue)" + (live.map { "，直播：\($0)" } ?? ""), on: tx)
        }
        return a
    }

    /// A change of time, place or content after approval goes back through approval with a new
    /// round; the decisions of earlier rounds stay in the history (003 §32; SPEC §4.9).
    func change(_ id: UUID?, _ input: ChangeInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .preparing, .approved, .scheduled, doing: "变更")
        var v = Validator()
        let reason = v.text(input.reason, field: "reason", label: "变更理由", max: 1000)
        var changes: [String] = []
        var startsAt = a.startsAt
        if let raw = input.startsAt, !raw.isEmpty {
            if let d = v.wallTime(raw, field: "startsAt") {
                if d < now { v.add("startsAt", "举行时间不能早于现在") }
                if d != a.startsAt { changes.append("时间：\(a.startsAt.map(HourClock.wallTime) ?? "未定") → \(HourClock.wallTime(d))"); startsAt = d }
            }
        }
        let venue = v.text(input.venue, field: "venue", label: "地点", required: false, max: 200)
        let title = v.text(input.title, field: "title", label: "标题", required: false, max: 200)
        let summary = v.text(input.summary, field: "summary", label: "发布内容摘要", required: false, max: 5000)
        try v.check()
        if let venue, venue != a.venue { changes.append("地点：\(a.venue) → \(venue)") }
        if let title, title != a.title { changes.append("标题：\(a.title) → \(title)") }
        if let summary, summary != a.summary { changes.append("内容已修改") }
        guard !changes.isEmpty else {
            throw DomainError.field("change", label: "变更内容", "时间、地点、标题或内容至少要有一项与原审批不同")
        }
        let from = a.stageValue
        let checks = try await checks(for: a)
        let urgent = input.urgentReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if a.formValue.isConference, startsAt != a.startsAt, a.conferenceClass != ConferenceClass.emergency.rawValue,
           let day = startsAt.map({ CivilDate($0) }) {
            // A new date must keep the lead time too (001 §15(一); 003 §31(一)), or be urgent.
            try checks.checkLeadTime(event: day, today: today, urgentReason: urgent)
            if let urgent, !urgent.isEmpty { a.urgentReason = urgent }
        }
        let (newStart, changed) = (startsAt, changes)
        try await db.transaction { tx in
            try await closeDeadlines(a, kinds: DeadlineKind.allCases, state: "cancelled", on: tx)
            a.startsAt = newStart
            if let venue { a.venue = venue }
            if let title { a.title = title }
            if let summary { a.summary = summary }
            a.round += 1
            a.approvalStage = 0
            a.previewPublishedAt = nil
            if a.formValue.isConference {
                // Back to the news office, whose approval covered time and place.
                a.stage = ActivityStage.review.rawValue
                if let d = checks.reviewDeadline(arrived: today) { try await openDeadline(a, d, on: tx) }
            } else {
                a.stage = ActivityStage.approval.rawValue
            }
            try await a.update(on: tx)
            try await record(a, .change, from: from, note: changed.joined(separator: "；") + "。理由：\(reason!)。需重新报批（第\(a.round)轮）", on: tx)
        }
        return a
    }

    // MARK: held, released, afterwards

    func hold(_ id: UUID?, _ input: HoldInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .scheduled, doing: "标记为已举行")
        if let s = a.startsAt, s > now {
            throw DomainError(.conflict, code: "not_yet", message: "发布会定于\(HourClock.wallTime(s))举行，尚未到举行时间。")
        }
        let video = try urlValue(input.videoUrl, field: "videoUrl", label: "视频链接", required: false)
        try await db.transaction { tx in
            a.stage = ActivityStage.held.rawValue
            a.heldAt = now
            if let video { a.videoURL = video }
            try await a.update(on: tx)
            // An incident's conference meets its 24-hour clock when it is held (SPEC R5.4).
            if let incident = a.incidentID {
                try await DeadlineStore(app: app, now: now).close(subject: incident, kinds: [.emergencyConference], state: "met", on: tx)
            }
            try await record(a, .hold, from: .scheduled, note: video.map { "视频：\($0)" } ?? "", on: tx)
        }
        return a
    }

    /// Light path: released once approved and past the confidentiality review.
    func release(_ id: UUID?) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .approved, doing: "发布")
        let blocking = try await blockers(a)
        guard blocking.isEmpty else {
            throw DomainError(.conflict, code: "not_ready", message: "尚不能发布：" + blocking.joined(separator: "；") + "。")
        }
        try await db.transaction { tx in
            a.stage = ActivityStage.released.rawValue
            a.releasedAt = now
            try await closeDeadlines(a, kinds: [.release], state: "met", on: tx)
            try await a.update(on: tx)
            try await record(a, .release, from: .approved, note: "", on: tx)
        }
        return a
    }

    func addTranscript(_ id: UUID?, _ input: TranscriptInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .held, .scheduled, doing: "录入文字实录")
        if a.stageValue == .scheduled, !a.series { try requireStage(a, .held, doing: "录入文字实录") }
        var v = Validator()
        if input.entries.isEmpty { v.add("entries", "文字实录不能为空") }
        let entries = input.entries.enumerated().map { i, e in
            (v.text(e.speaker, field: "entries[\(i)].speaker", label: "第\(i + 1)段的发言人", max: 100) ?? "",
             v.text(e.text, field: "entries[\(i)].text", label: "第\(i + 1)段的内容", max: 20000) ?? "")
        }
        if let n = input.sitting, try await ActivitySittingModel.query(on: db).filter(\.$activityID == a.id!).filter(\.$number == n).first() == nil {
            v.add("sitting", "第\(n)场不存在")
        }
        try v.check()
        let start = try await ActivityTranscriptModel.query(on: db).filter(\.$activityID == a.id!).count()
        try await db.transaction { tx in
            for (i, e) in entries.enumerated() {
                let t = ActivityTranscriptModel()
                t.activityID = a.id!
                t.sitting = input.sitting
                t.position = start + i
                t.speaker = e.0
                t.text = e.1
                try await t.create(on: tx)
            }
            try await record(a, .addTranscript, from: a.stageValue, note: "\(entries.count)段：\(Set(entries.map(\.0)).sorted().joined(separator: "、"))", on: tx)
        }
        return a
    }

    func addCoverage(_ id: UUID?, _ input: CoverageInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .held, .released, .closed, doing: "登记媒体报道")
        var v = Validator()
        let outlet = v.text(input.outlet, field: "outlet", label: "媒体名称", max: 100)
        let title = v.text(input.title, field: "title", label: "报道标题", max: 300)
        let date = v.text(input.publishedOn, field: "publishedOn", label: "报道日期", max: 10)
        if let date, CivilDate(date) == nil { v.add("publishedOn", "报道日期格式应为 YYYY-MM-DD") }
        try v.check()
        let url = try urlValue(input.url, field: "url", label: "报道链接", required: true)!
        let from = a.stageValue
        try await db.transaction { tx in
            let c = ActivityCoverageModel()
            c.activityID = a.id!
            c.outlet = outlet!
            c.title = title!
            c.url = url
            c.publishedOn = CivilDate(date!)!.description
            c.addedBy = userID
            c.addedAt = now
            try await c.create(on: tx)
            try await record(a, .addCoverage, from: from, note: "\(outlet!)《\(title!)》", on: tx)
        }
        return a
    }

    func evaluate(_ id: UUID?, _ input: TextInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .held, .released, doing: "评估效果")
        var v = Validator()
        let text = v.text(input.text, field: "text", label: "效果评估", max: 5000)
        try v.check()
        let from = a.stageValue
        try await db.transaction { tx in
            a.effect = text
            try await a.update(on: tx)
            try await record(a, .evaluate, from: from, note: String(text!.prefix(100)), on: tx)
        }
        return a
    }

    /// 简报 archived with the news office (003 §35; 001 §15(六)); the record then closes. Where
    /// the profile asks for no brief report, the record closes with an empty one.
    func archiveBriefReport(_ id: UUID?, _ input: TextInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .held, doing: "存档简报")
        let required = try await profile(jurisdiction: a.jurisdictionID).conference.briefReport.value
        var v = Validator()
        let text = v.text(input.text, field: "text", label: "简报", required: required, max: 20000)
        try v.check()
        try await db.transaction { tx in
            a.briefReport = text
            a.stage = ActivityStage.closed.rawValue
            a.closedAt = now
            try await a.update(on: tx)
            try await record(a, .archiveBriefReport, from: .held, note: String((text ?? "（本辖区未要求简报）").prefix(100)), on: tx)
        }
        return a
    }

    /// Withdrawn before approval, or cancelled after it; the record and its history stay.
    func withdraw(_ id: UUID?, _ input: ReasonInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        let canReview = access.canReviewApplication(of: a.agencyID.uuidString)
        guard access.canPrepareActivity(of: a.agencyID.uuidString) || canReview else { throw DomainError.forbidden }
        guard !a.stageValue.isFinal, a.stageValue != .held else {
            throw DomainError(.conflict, code: "wrong_stage", message: "当前状态为“\(a.stageValue.label)”，不能撤回或取消。")
        }
        var v = Validator()
        let reason = v.text(input.reason, field: "reason", label: "理由", max: 1000)
        try v.check()
        let from = a.stageValue
        let (to, action): (ActivityStage, ActivityAction) = from.isApproved ? (.cancelled, .cancel) : (.withdrawn, .withdraw)
        try await db.transaction { tx in
            a.stage = to.rawValue
            a.previewPublishedAt = nil
            try await closeDeadlines(a, kinds: DeadlineKind.allCases, state: "cancelled", on: tx)
            try await a.update(on: tx)
            try await record(a, action, from: from, note: reason!, on: tx)
        }
        return a
    }

    // MARK: scheduled series (001 §15(七))

    func addSitting(_ id: UUID?, _ input: SittingInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        guard a.series else { throw DomainError(.conflict, code: "not_series", message: "该发布会不是定时系列发布，不能增加场次。") }
        try requireStage(a, .preparing, .scheduled, doing: "增加场次")
        var v = Validator()
        let starts = v.wallTime(input.startsAt ?? "", field: "startsAt")
        if let s = starts, s < now { v.add("startsAt", "举行时间不能早于现在") }
        let venue = v.text(input.venue, field: "venue", label: "地点", required: false, max: 200)
        try v.check()
        let number = (try await ActivitySittingModel.query(on: db).filter(\.$activityID == a.id!).max(\.$number) ?? 0) + 1
        try await db.transaction { tx in
            let s = ActivitySittingModel()
            s.activityID = a.id!
            s.number = number
            s.startsAt = starts!
            s.venue = venue ?? a.venue
            s.note = ""
            try await s.create(on: tx)
            try await record(a, .addSitting, from: a.stageValue, note: "第\(number)场：\(HourClock.wallTime(starts!))，\(s.venue)", on: tx)
        }
        return a
    }

    func holdSitting(_ id: UUID?, number: Int?) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .scheduled, doing: "标记场次已举行")
        guard let number, let s = try await ActivitySittingModel.query(on: db).filter(\.$activityID == a.id!).filter(\.$number == number).first() else {
            throw DomainError.notFound("场次")
        }
        guard s.heldAt == nil else { throw DomainError(.conflict, code: "already_held", message: "第\(number)场已标记为举行。") }
        guard s.startsAt <= now else {
            throw DomainError(.conflict, code: "not_yet", message: "第\(number)场定于\(HourClock.wallTime(s.startsAt))举行，尚未到举行时间。")
        }
        try await db.transaction { tx in
            s.heldAt = now
            try await s.update(on: tx)
            try await record(a, .holdSitting, from: .scheduled, note: "第\(number)场", on: tx)
        }
        return a
    }

    /// An http(s) link, or nil when optional and empty.
    func urlValue(_ raw: String?, field: String, label: String, required: Bool) throws -> String? {
        let text = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        if text.isEmpty {
            if required { throw DomainError.field(field, label: label, "不能为空") }
            return nil
        }
        guard text.count <= 1000, let u = URL(string: text), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host != nil else {
            throw DomainError.field(field, label: label, "应为以 http:// 或 https:// 开头的网址")
        }
        return text
    }
}
