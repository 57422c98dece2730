import Core
import Fluent
import Vapor

/// The release-activity commands (SPEC §2–§4), shared by the web UI and the JSON API. Each
/// command checks scope, state and input first (the rules themselves live in `Core`), then writes
/// the change, its timeline entry, its clocks and its audit record in one transaction.
struct ReleaseService {
    let db: Database
    let app: Application
    let user: UserModel
    let access: AccessPolicy
    let audit: AuditContext

    var now: Date { audit.now }
    var today: CivilDate { CivilDate(now) }
    var userID: UUID { user.id! }

    // MARK: lookups, scoped: another agency's record is "not found"

    /// The activity, if the caller sees its lead agency or one of its joint agencies.
    func activity(_ id: UUID?) async throws -> ReleaseActivityModel {
        guard let id, let a = try await ReleaseActivityModel.find(id, on: db) else { throw DomainError.notFound("发布活动") }
        let joint = try await ActivityAgencyModel.query(on: db).filter(\.$activityID == id).all()
        guard joint.map(\.agencyID).contains(where: canSeeActivities(of:)) || canSeeActivities(of: a.agencyID) else {
            throw DomainError.notFound("发布活动")
        }
        return a
    }

    /// Whose activities the caller sees. A leader sees its own agency's, and those of the
    /// agencies it holds an office for (a 分管副区长 the whole level; a department head only its
    /// department) — not every draft of its level, which the roster scope would allow.
    func canSeeActivities(of agency: UUID) -> Bool {
        let id = agency.uuidString
        guard access.canSee(agency: id) else { return false }
        guard user.roleValue == .approver else { return true }
        let holder = user.officeHolder
        return user.agencyID == agency || holder.offices.contains { holder.holds($0, for: id, tree: access.tree) }
    }

    func agency(_ id: UUID?) async throws -> AgencyModel {
        guard let id, access.canSee(agency: id.uuidString), let a = try await AgencyModel.find(id, on: db) else {
            throw DomainError.notFound("单位")
        }
        return a
    }

    func profile(jurisdiction: String) async throws -> PolicyProfile {
        guard let j = try await JurisdictionModel.find(jurisdiction, on: db), let p = app.profiles[j.profileID] else {
            throw DomainError(.conflict, code: "profile_missing", message: "单位所属辖区的政策配置未加载。")
        }
        return p
    }

    func checks(for a: ReleaseActivityModel) async throws -> ConferenceChecks {
        let profile = try await profile(jurisdiction: a.jurisdictionID)
        let calendar = try await CalendarService(db: db, app: app, audit: audit).calendar(jurisdiction: a.jurisdictionID)
        return ConferenceChecks(rules: profile.conference, calendar: calendar)
    }

    func requirePrepare(_ a: ReleaseActivityModel) throws {
        guard access.canPrepareActivity(of: a.agencyID.uuidString) else { throw DomainError.forbidden }
    }

    func requireStage(_ a: ReleaseActivityModel, _ allowed: ActivityStage..., doing: String) throws {
        guard allowed.contains(a.stageValue) else {
            throw DomainError(.conflict, code: "wrong_stage",
                              message: "当前状态为“\(a.stageValue.label)”，不能\(doing)（仅限：\(allowed.map(\.label).joined(separator: "、"))）。")
        }
    }

    // MARK: create and edit

    /// Creates an activity; `incident` links it to the emergency it answers, in the same transaction.
    func create(_ input: ActivityInput, incident: UUID? = nil) async throws -> ReleaseActivityModel {
        guard input.agencyId != nil else { throw DomainError.field("agencyId", label: "牵头单位", "不能为空") }
        let lead = try await agency(input.agencyId)
        guard access.canPrepareActivity(of: lead.id!.uuidString) else { throw DomainError.forbidden }
        let a = ReleaseActivityModel()
        a.jurisdictionID = lead.jurisdictionID
        a.agencyID = lead.id!
        a.stage = ActivityStage.draft.rawValue
        a.round = 1
        a.approvalStage = 0
        a.createdBy = userID
        a.incidentID = incident
        let joint = try await apply(input, to: a, creating: true)
        let checks = try await checks(for: a)
        try await db.transaction { tx in
            try await a.create(on: tx)
            try await ActivityAgencyModel(activityID: a.id!, agencyID: a.agencyID, isLead: true).create(on: tx)
            for j in joint { try await ActivityAgencyModel(activityID: a.id!, agencyID: j, isLead: false).create(on: tx) }
            try await refreshApplicationDeadline(a, checks: checks, on: tx)
            try await record(a, .create, from: .draft, note: "\(a.formValue.label)：\(a.title)", on: tx)
        }
        return a
    }

    /// Edits what is applied for, while the agency still holds it (draft or returned).
    func edit(_ id: UUID?, _ input: ActivityInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        guard a.stageValue.isEditableByAgency else {
            if a.stageValue.isApproved {
                throw DomainError(.conflict, code: "approved_use_change",
                                  message: "已审批的活动不能直接修改；变更时间、地点或内容请使用“审批后变更”，变更将重新报批（003 §32）。")
            }
            throw DomainError(.conflict, code: "wrong_stage", message: "当前状态为“\(a.stageValue.label)”，不能修改。")
        }
        let joint = try await apply(input, to: a, creating: false)
        let checks = try await checks(for: a)
        try await db.transaction { tx in
            try await a.update(on: tx)
            if input.jointAgencyIds != nil {
                try await ActivityAgencyModel.query(on: tx).filter(\.$activityID == a.id!).filter(\.$isLead == false).delete()
                for j in joint { try await ActivityAgencyModel(activityID: a.id!, agencyID: j, isLead: false).create(on: tx) }
            }
            try await refreshApplicationDeadline(a, checks: checks, on: tx)
            try await record(a, .edit, from: a.stageValue, note: a.title, on: tx)
        }
        return a
    }

    /// Validates the whole input, then copies it onto `a`. Returns the joint agencies.
    private func apply(_ input: ActivityInput, to a: ReleaseActivityModel, creating: Bool) async throws -> [UUID] {
        var v = Validator()
        let current: ReleaseActivityModel? = creating ? nil : a
        let title = v.text(input.title ?? current?.title, field: "title", label: "标题", max: 200)
        let summary = v.text(input.summary ?? current?.summary, field: "summary", label: "发布内容摘要", required: false, max: 5000)
        let form = v.choice(input.form, ReleaseForm.self, field: "form", label: "发布形式", required: current?.form == nil)
        let category = v.choice(input.category, ContentCategory.self, field: "category", label: "内容类别", required: current?.category == nil)
        let organiser = v.choice(input.organiser ?? current?.organiser ?? OrganiserLevel.selfHeld.rawValue, OrganiserLevel.self,
                             field: "organiser", label: "组织方式", required: true)
        let level = v.choice(input.level ?? current?.level ?? ConferenceLevel.newsOffice.rawValue, ConferenceLevel.self,
                         field: "level", label: "发布会名义", required: true)
        let effectiveForm = form ?? current.map(\.formValue)
        var conferenceClass: ConferenceClass?
        if effectiveForm == .pressConference {
            conferenceClass = v.choice(input.conferenceClass ?? current?.conferenceClass ?? ConferenceClass.routine.rawValue,
                                   ConferenceClass.self, field: "conferenceClass", label: "发布会类别", required: true)
        } else if let raw = input.conferenceClass, !raw.isEmpty {
            v.add("conferenceClass", "只有新闻发布会才有发布会类别")
        }
        var startsAt = current?.startsAt
        if let raw = input.startsAt {
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { startsAt = nil }
            else if let d = v.wallTime(raw, field: "startsAt") { startsAt = d }
        }
        if effectiveForm == .pressConference, startsAt == nil { v.add("startsAt", "新闻发布会须填写举行时间") }
        if let s = startsAt, input.startsAt != nil, s < now { v.add("startsAt", "举行时间不能早于现在") }
        let venue = v.text(input.venue ?? current?.venue, field: "venue", label: "地点", required: false, max: 200)
        let media = v.text(input.media ?? current?.media, field: "media", label: "邀请媒体", required: false, max: 1000)
        let series = input.series ?? current?.series ?? false
        if series, effectiveForm != .pressConference { v.add("series", "只有新闻发布会可以定时系列发布") }
        try v.check()

        let profile = try await profile(jurisdiction: a.jurisdictionID)
        if series, !profile.conference.scheduledSeries.value {
            throw DomainError.field("series", label: "定时发布", "本辖区政策未规定定时发布（\(profile.conference.scheduledSeries.source)）")
        }
        var joint: [UUID] = []
        for id in Set(input.jointAgencyIds ?? []) where id != a.agencyID {
            // Any agency of the same jurisdiction may join (003 §14–15: confirmed with it first).
            guard let j = try await AgencyModel.find(id, on: db), j.jurisdictionID == a.jurisdictionID else {
                throw DomainError.field("jointAgencyIds", label: "联合发布单位", "必须属于同一辖区")
            }
            joint.append(id)
        }
        a.title = title!
        a.summary = summary ?? ""
        if let form { a.form = form.rawValue }
        if let category { a.category = category.rawValue }
        a.conferenceClass = conferenceClass?.rawValue
        if let organiser { a.organiser = organiser.rawValue }
        if let level { a.level = level.rawValue }
        a.major = input.major ?? current?.major ?? false
        a.startsAt = startsAt
        // 001 §15(五): the jurisdiction's press centre unless another venue is named.
        a.venue = venue ?? (a.formValue.isConference ? (profile.conference.venue.value ?? "") : "")
        a.media = media ?? ""
        a.series = series
        return joint
    }

    // MARK: submit, sign-off, review

    /// Sends the activity on: a conference goes to its agency head for sign-off; any other form
    /// straight into content approval.
    func submit(_ id: UUID?, _ input: SubmitInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .draft, .returned, doing: "提交")
        let from = a.stageValue
        let urgent = input.urgentReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let urgent, urgent.count > 1000 { throw DomainError.field("urgentReason", label: "紧急理由", "不能超过1000个字符") }
        var note = ""
        if a.formValue.isConference {
            let checks = try await checks(for: a)
            let filed = try await filedDocuments(a)
            let missing = checks.missingApplicationDocuments(filed: filed)
            if !missing.isEmpty {
                throw DomainError(.invalid, code: "application_documents_missing",
                                  message: "申报材料不全，缺少：\(missing.map(\.label).joined(separator: "、"))（\(ConferenceChecks.cite(checks.rules.applicationDocuments))）。",
                                  fields: ["documents": missing.map(\.rawValue).joined(separator: ",")])
            }
            try checkLeadTime(a, checks: checks, urgent: urgent)
            a.urgentReason = (urgent?.isEmpty ?? true) ? nil : urgent
            a.stage = ActivityStage.signOff.rawValue
            note = a.urgentReason.map { "紧急申报，理由：\($0)" } ?? ""
        } else {
            a.stage = ActivityStage.approval.rawValue
            a.approvalStage = 0
        }
        a.submittedBy = userID
        a.submittedAt = now
        let timelineNote = note
        try await db.transaction { tx in
            try await a.update(on: tx)
            try await record(a, .submit, from: from, note: timelineNote, on: tx)
        }
        return a
    }

    /// Emergency conferences take the fast path (no lead time — 001 §14 应急发布会; issue on
    /// emergencies); others are refused after the deadline unless urgent with a reason.
    private func checkLeadTime(_ a: ReleaseActivityModel, checks: ConferenceChecks, urgent: String?) throws {
        guard a.conferenceClass != ConferenceClass.emergency.rawValue, let day = a.eventDay else { return }
        try checks.checkLeadTime(event: day, today: today, urgentReason: urgent)
    }

    /// The agency head signs the application off (001 §15(一); 003 §31(三)); it then leaves for
    /// the news office and the review clock starts.
    func signOff(_ id: UUID?, _ input: DecisionInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requireStage(a, .signOff, doing: "审签")
        let checks = try await checks(for: a)
        let required = checks.rules.applicationSignOff.value
        guard user.officeHolder.holds(required, for: a.agencyID.uuidString, tree: access.tree) else {
            throw DomainError(.forbidden, code: "not_signatory",
                              message: "申报须经\(required.label)审签（\(ConferenceChecks.cite(checks.rules.applicationSignOff))），您的账号未被授予该职务。")
        }
        if a.submittedBy == userID {
            throw DomainError(.forbidden, code: "self_approval", message: "不能审签本人提交的申报。")
        }
        let decision = try decisionValue(input, allowed: ["approve", "return"])
        let comment = try commentValue(input, required: decision == "return")
        try await db.transaction { tx in
            try await addDecision(a, .signOff, stage: 0, outcome: decision == "approve" ? "approved" : "returned",
                                  offices: [required], input: input, comment: comment, on: tx)
            if decision == "approve" {
                try checkLeadTime(a, checks: checks, urgent: a.urgentReason)
                try await closeDeadlines(a, kinds: [.application], state: "met", on: tx)
                var note = comment
                if access.tree.supervisingNewsOffice(of: a.agencyID.uuidString) == nil {
                    // The top news office's own conference: there is no office above it in the
                    // jurisdiction to review it, so it goes straight to content approval.
                    a.stage = ActivityStage.approval.rawValue
                    a.approvalStage = 0
                    note += (note.isEmpty ? "" : "；") + "本级无上级新闻办审核，直接进入内容审定"
                } else {
                    a.stage = ActivityStage.review.rawValue
                    if let d = checks.reviewDeadline(arrived: today) { try await openDeadline(a, d, on: tx) }
                }
                try await a.update(on: tx)
                try await record(a, .signOff, from: .signOff, note: note, on: tx)
            } else {
                a.stage = ActivityStage.returned.rawValue
                a.round += 1  // the next submission is a new round; this one's decisions stay as history
                try await a.update(on: tx)
                try await record(a, .refuseSignOff, from: .signOff, note: comment, on: tx)
            }
        }
        return a
    }

    /// The news office approves, returns with comments per document, or rejects with a reason.
    func review(_ id: UUID?, _ input: DecisionInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requireStage(a, .review, doing: "审核")
        guard isReviewer(of: a) else {
            throw DomainError(.forbidden, code: "not_reviewer", message: "只有主管该单位的新闻办可以审核此申报。")
        }
        if a.submittedBy == userID || a.createdBy == userID {
            throw DomainError(.forbidden, code: "self_approval", message: "不能审核本人提交的申报。")
        }
        let decision = try decisionValue(input, allowed: ["approve", "return", "reject"])
        let comment = try commentValue(input, required: decision != "approve")
        let outcome = ["approve": "approved", "return": "returned", "reject": "rejected"][decision]!
        let (to, action): (ActivityStage, ActivityAction) = switch decision {
        case "approve": (.approval, .approveReview)
        case "return": (.returned, .returnReview)
        default: (.rejected, .rejectReview)
        }
        try await db.transaction { tx in
            try await addDecision(a, .review, stage: 0, outcome: outcome, offices: [.newsOffice], input: input, comment: comment, on: tx)
            try await closeDeadlines(a, kinds: [.review], state: "met", on: tx)
            if to == .rejected { try await closeDeadlines(a, kinds: DeadlineKind.allCases, state: "cancelled", on: tx) }
            a.stage = to.rawValue
            a.approvalStage = 0
            if to == .returned { a.round += 1 }
            try await a.update(on: tx)
            try await record(a, action, from: .review, note: comment, on: tx)
        }
        return a
    }

    /// The approval decisions of the current round (a return starts a new round).
    func approvals(of a: ReleaseActivityModel) async throws -> [ActivityDecisionModel] {
        try await ActivityDecisionModel.query(on: db).filter(\.$activityID == a.id!)
            .filter(\.$kind == DecisionKind.approval.rawValue).filter(\.$round == a.round).all()
    }

    /// The news office of the agency's level reviews its applications (001 §15(二); 003 §31(一)).
    func isReviewer(of a: ReleaseActivityModel) -> Bool {
        let agency = a.agencyID.uuidString
        return access.canReviewApplication(of: agency) && user.agencyID?.uuidString == access.tree.supervisingNewsOffice(of: agency)
    }

    /// One stage of the content-approval chain (001 §15(三); 003 §31(二)(三)). Nobody approves
    /// their own submission or two stages of one round.
    func approve(_ id: UUID?, _ input: DecisionInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requireStage(a, .approval, doing: "审定")
        let profile = try await profile(jurisdiction: a.jurisdictionID)
        let chain = ApprovalChain(rules: profile.conference.approval, major: a.major)
        let earlier = try await approvals(of: a)
        let acting = try chain.check(stage: a.approvalStage, holder: user.officeHolder, agency: a.agencyID.uuidString,
                                     tree: access.tree, submittedBy: a.submittedBy?.uuidString ?? "",
                                     decidedBy: earlier.map(\.decidedBy.uuidString))
        let decision = try decisionValue(input, allowed: ["approve", "return"])
        let comment = try commentValue(input, required: decision == "return")
        let stage = a.approvalStage
        try await db.transaction { tx in
            try await addDecision(a, .approval, stage: stage, outcome: decision == "approve" ? "approved" : "returned",
                                  offices: acting, input: input, comment: comment, on: tx)
            if decision == "return" {
                a.stage = ActivityStage.returned.rawValue
                a.approvalStage = 0
                a.round += 1
                try await a.update(on: tx)
                try await record(a, .refuseApproval, from: .approval, note: "第\(stage + 1)级：\(comment)", on: tx)
                return
            }
            a.approvalStage = stage + 1
            let done = a.approvalStage >= chain.stages.count
            if done {
                a.stage = (a.formValue.isConference ? ActivityStage.preparing : .approved).rawValue
                try await openPreparationDeadlines(a, profile: profile, on: tx)
            }
            try await a.update(on: tx)
            try await record(a, .approve, from: .approval,
                             note: "第\(stage + 1)级（共\(chain.stages.count)级）\(acting.labels)同意" + (comment.isEmpty ? "" : "：\(comment)"), on: tx)
        }
        return a
    }

    /// After approval: a conference's materials clock (003 §34); a light-path release's clock
    /// (003 §19 "审定完成之后的10个工作日内").
    private func openPreparationDeadlines(_ a: ReleaseActivityModel, profile: PolicyProfile, on tx: Database) async throws {
        let calendar = try await CalendarService(db: tx, app: app, audit: audit).calendar(jurisdiction: a.jurisdictionID)
        if a.formValue.isConference {
            let checks = ConferenceChecks(rules: profile.conference, calendar: calendar)
            if let day = a.eventDay, let d = checks.materialsDeadline(event: day) {
                let filed = try await filedDocuments(a, on: tx)
                if !checks.missingMaterials(filed: filed).isEmpty { try await openDeadline(a, d, on: tx) }
            }
        } else if let n = profile.releases.routineWithinWorkingDays.value {
            let count = calendar.explainAddingWorkingDays(today, n)
            try await openDeadline(a, DayDeadline(kind: .release, day: count.date, count: count,
                                                  source: profile.releases.routineWithinWorkingDays.source,
                                                  quote: profile.releases.routineWithinWorkingDays.quote), on: tx)
        }
    }

    /// 保密审查 (001 §18(五); 003 §39(六)) or 社会稳定风险评估 (001 §13(七)), recorded for the
    /// current round once the content is approved.
    func assess(_ id: UUID?, _ input: AssessmentInput) async throws -> ReleaseActivityModel {
        let a = try await activity(id)
        try requirePrepare(a)
        try requireStage(a, .preparing, .approved, .scheduled, doing: "记录审查结果")
        var v = Validator()
        let kind = DecisionKind(rawValue: input.kind).flatMap { [.confidentiality, .stability].contains($0) ? $0 : nil }
        if kind == nil { v.add("kind", "审查类别应为 confidentiality（保密审查）或 stability（社会稳定风险评估）") }
        if !["passed", "failed"].contains(input.outcome) { v.add("outcome", "审查结论应为 passed（通过）或 failed（未通过）") }
        let reviewer = v.text(input.reviewer, field: "reviewer", label: "审查人", max: 50)
        let comment = v.text(input.comment, field: "comment", label: "审查意见", required: input.outcome == "failed", max: 2000)
        try v.check()
        let from = a.stageValue
        try await db.transaction { tx in
            let d = ActivityDecisionModel()
            d.activityID = a.id!
            d.kind = kind!.rawValue
            d.round = a.round
            d.stage = 0
            d.outcome = input.outcome
            d.offices = ""
            d.comment = comment ?? ""
            d.documentComments = "{}"
            d.reviewer = reviewer!
            d.decidedBy = userID
            d.decidedAt = now
            try await d.create(on: tx)
            // A failed review un-schedules: the conference cannot go ahead as it stands.
            if input.outcome == "failed", a.stageValue == .scheduled {
                a.stage = ActivityStage.preparing.rawValue
                a.previewPublishedAt = nil
                try await a.update(on: tx)
            }
            let verdict = input.outcome == "passed" ? "通过" : "未通过"
            try await record(a, kind == .confidentiality ? .recordConfidentiality : .recordStability, from: from,
                             note: "\(reviewer!)：\(verdict)" + ((comment ?? "").isEmpty ? "" : "，\(comment!)"), on: tx)
        }
        return a
    }

    // MARK: helpers

    func decisionValue(_ input: DecisionInput, allowed: [String]) throws -> String {
        guard allowed.contains(input.decision) else {
            throw DomainError.field("decision", label: "审批意见", "应为：\(allowed.joined(separator: "、"))")
        }
        return input.decision
    }

    func commentValue(_ input: DecisionInput, required: Bool) throws -> String {
        var v = Validator()
        let c = v.text(input.comment, field: "comment", label: "意见", required: required, max: 2000)
        for (key, text) in input.documentComments ?? [:] {
            if ConferenceDocument(rawValue: key) == nil { v.add("documentComments", "材料类别“\(key)”无效") }
            if text.count > 2000 { v.add("documentComments", "每份材料的意见不能超过2000个字符") }
        }
        try v.check()
        return c ?? ""
    }

    func addDecision(_ a: ReleaseActivityModel, _ kind: DecisionKind, stage: Int, outcome: String, offices: [Official],
                     input: DecisionInput, comment: String, on tx: Database) async throws {
        let d = ActivityDecisionModel()
        d.activityID = a.id!
        d.kind = kind.rawValue
        d.round = a.round
        d.stage = stage
        d.outcome = outcome
        d.offices = offices.map(\.rawValue).joined(separator: ",")
        d.comment = comment
        let comments = (input.documentComments ?? [:]).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        d.documentComments = AuditLog.json(comments) ?? "{}"
        d.reviewer = user.displayName
        d.decidedBy = userID
        d.decidedAt = now
        try await d.create(on: tx)
    }

    /// The kinds of documents filed (in any round: a document stays filed until replaced).
    func filedDocuments(_ a: ReleaseActivityModel, on database: Database? = nil) async throws -> Set<ConferenceDocument> {
        let docs = try await ActivityDocumentModel.query(on: database ?? db).filter(\.$activityID == a.id!).all()
        return Set(docs.compactMap { ConferenceDocument(rawValue: $0.kind) })
    }

    /// Writes the timeline entry and the audit record of one step.
    func record(_ a: ReleaseActivityModel, _ action: ActivityAction, from: ActivityStage, note: String, on tx: Database) async throws {
        let e = ActivityEventModel()
        e.activityID = a.id!
        e.at = now
        e.actorID = userID
        e.actorName = user.displayName
        e.action = action.rawValue
        e.stageFrom = from.rawValue
        e.stageTo = a.stage
        e.note = note
        try await e.create(on: tx)
        try await AuditLog.append(on: tx, audit, action: "activity.\(action.rawValue)", entityType: "activity",
                                  entityID: a.id!.uuidString, before: ["stage": from.rawValue],
                                  after: AuditSnapshot(a, note: note))
        try await PortalIndex.refresh(a, on: tx)
    }

    struct AuditSnapshot: Encodable {
        var stage: String
        var round: Int
        var title: String
        var startsAt: String?
        var venue: String
        var note: String

        init(_ a: ReleaseActivityModel, note: String) {
            stage = a.stage
            round = a.round
            title = a.title
            startsAt = a.startsAt.map(HourClock.wallTime)
            venue = a.venue
            self.note = note
        }
    }

    // MARK: clocks

    /// Opens (or moves) the clock of `kind` for this round.
    func openDeadline(_ a: ReleaseActivityModel, _ d: DayDeadline, on tx: Database) async throws {
        try await DeadlineStore(app: app, now: now).open(.init(
            subjectType: "activity", subjectID: a.id!, jurisdictionID: a.jurisdictionID, agencyID: a.agencyID, kind: d.kind,
            round: a.round, dueDay: d.day, dueAt: d.dueAt, certain: d.count.certain,
            source: d.quote.map { "\(d.source)：“\($0)”" } ?? d.source, explanation: [d.count.summary] + d.count.explanation), on: tx)
    }

    func closeDeadlines(_ a: ReleaseActivityModel, kinds: [DeadlineKind], state: String, on tx: Database) async throws {
        try await DeadlineStore(app: app, now: now).close(subject: a.id!, kinds: kinds, state: state, on: tx)
    }

    /// While the application is with the agency, its clock follows the event date.
    func refreshApplicationDeadline(_ a: ReleaseActivityModel, checks: ConferenceChecks, on tx: Database) async throws {
        guard a.formValue.isConference, a.stageValue.isEditableByAgency else { return }
        if let day = a.eventDay, a.conferenceClass != ConferenceClass.emergency.rawValue, let d = checks.applicationDeadline(event: day) {
            try await openDeadline(a, d, on: tx)
        } else {
            try await closeDeadlines(a, kinds: [.application], state: "cancelled", on: tx)
        }
    }
}
