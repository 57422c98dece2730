import Core
import Fluent
import Vapor

/// `/admin/activities` (发布活动), `/admin/inbox` (待办), `/admin/activities/calendar` (发布日历)
/// and one activity's record with the forms of its workflow (SPEC §2–§4). Every step goes
/// through `ReleaseService`, as the API's do; a refusal re-renders the record with its message
/// and what was typed.
extension AdminController {
    func bootReleases(_ authed: RoutesBuilder, uploads: RoutesBuilder) {
        authed.get("inbox", use: inboxPage)
        let a = authed.grouped("activities")
        a.get(use: activitiesPage)
        a.post(use: createActivityFromForm)
        a.get("calendar", use: activityCalendarPage)
        a.get(":activityID", use: activityPage)
        a.get(":activityID", "documents", ":documentID", use: downloadActivityDocument)
        a.post(":activityID", "edit", use: editActivityFromForm)
        a.post(":activityID", "submit", use: submitActivity)
        a.post(":activityID", "sign-off") { req in try await decide(req, .signOff) }
        a.post(":activityID", "review") { req in try await decide(req, .review) }
        a.post(":activityID", "approval") { req in try await decide(req, .approval) }
        a.post(":activityID", "assessments", use: assessActivity)
        a.post(":activityID", "participants", use: setParticipants)
        a.post(":activityID", "programme", use: setProgramme)
        a.post(":activityID", "schedule") { req in
            try await recordCommand(req, .schedule, done: "scheduled") { s, id in _ = try await s.schedule(id) }
        }
        a.post(":activityID", "preview", use: publishPreview)
        a.post(":activityID", "change", use: changeActivity)
        a.post(":activityID", "hold", use: holdActivity)
        a.post(":activityID", "release") { req in
            try await recordCommand(req, .release, done: "released") { s, id in _ = try await s.release(id) }
        }
        a.post(":activityID", "transcript", use: addTranscript)
        a.post(":activityID", "coverage", use: addCoverage)
        a.post(":activityID", "evaluation") { req in try await textCommand(req, .evaluation, done: "evaluated") }
        a.post(":activityID", "brief-report") { req in try await textCommand(req, .brief, done: "archived") }
        a.post(":activityID", "withdraw", use: withdrawActivity)
        a.post(":activityID", "sittings", use: addSitting)
        a.post(":activityID", "sittings", ":number", "hold") { req in
            try await recordCommand(req, .holdSitting, done: "sittingHeld") { s, id in
                _ = try await s.holdSitting(id, number: req.parameters.get("number", as: Int.self))
            }
        }
        // A little over the limit is collected so that the refusal is the sniffer's, in Chinese.
        uploads.grouped("activities").on(.POST, ":activityID", "documents", body: .collect(maxSize: ByteCount(value: maxUpload + 65_536)),
                                         use: uploadActivityDocument)
    }

    // MARK: 发布活动

    func activitiesPage(req: Request) async throws -> Response {
        try await renderActivities(req, notice: Notice.text(req.query[String.self, at: "done"]), error: nil)
    }

    func renderActivities(_ req: Request, notice: String?, error: DomainError?, typed: ActivityForm? = nil) async throws -> Response {
        let s = try await req.releaseService()
        var filter = ReleaseService.ListFilter()
        filter.stage = req.query[String.self, at: "stage"].flatMap(ActivityStage.init(rawValue:))
        let rows = try await s.summaries(try await s.list(filter)).map(ActivityRow.init)
        var fields = typed?.fields ?? ActivityFields()
        try await offerAgencies(req, s, into: &fields)
        fields.errors = error?.fields ?? [:]
        let view = ActivityListView(rows: rows, stage: filter.stage?.rawValue ?? "",
                                    stages: ChoiceOption.all(ActivityStage.self, label: \.label),
                                    canCreate: !fields.agencies.isEmpty, fields: fields)
        return try await req.renderPage("activities", title: "发布活动", nav: "activities", body: view, notice: notice, error: error)
    }

    /// The agencies the caller may prepare an activity for, and where a blank venue leads.
    private func offerAgencies(_ req: Request, _ s: ReleaseService, into fields: inout ActivityFields) async throws {
        let (options, used) = try await preparableAgencies(req, s.access)
        fields.agencies = options
        if used.count == 1, let j = used.first, let venue = req.application.profiles[j.profileID]?.conference.venue.value {
            // 001 §15(五): the press centre unless another venue is named.
            fields.venueHint = "留空则为\(venue)"
        }
        if fields.agencyId.isEmpty, options.count == 1 { fields.agencyId = options.first?.value ?? "" }
    }

    /// The agencies the caller may prepare activities (and register incidents) for, labelled with
    /// their jurisdiction when they lie in several, and the jurisdictions they lie in.
    func preparableAgencies(_ req: Request, _ access: AccessPolicy) async throws -> (options: [ChoiceOption], jurisdictions: [JurisdictionModel]) {
        let jurisdictions = try await JurisdictionModel.query(on: req.db).sort(\.$sortOrder).all()
        let agencies = try await AgencyModel.query(on: req.db).sort(\.$sortOrder).all()
            .filter { a in a.id.map { access.canPrepareActivity(of: $0.uuidString) } ?? false }
        let used = jurisdictions.filter { j in agencies.contains { $0.jurisdictionID == j.id } }
        var options: [ChoiceOption] = []
        for j in used {
            for a in agencies where a.jurisdictionID == j.id {
                guard let id = a.id else { continue }
                options.append(ChoiceOption(value: id.uuidString, label: used.count > 1 ? "\(j.name) · \(a.name)" : a.name))
            }
        }
        return (options, used)
    }

    /// The create and edit form as posted; checkboxes are absent when unticked.
    struct ActivityForm: Content {
        var agencyId: String?
        var title: String?
        var form: String?
        var category: String?
        var conferenceClass: String?
        var organiser: String?
        var level: String?
        var major: String?
        var startsAt: String?
        var venue: String?
        var media: String?
        var summary: String?
        var series: String?

        func input(agency: UUID?) -> ActivityInput {
            let conference = form == ReleaseForm.pressConference.rawValue
            return ActivityInput(agencyId: agency, title: title, summary: summary ?? "", form: form, category: category,
                                 conferenceClass: conference ? conferenceClass : nil, organiser: organiser, level: level,
                                 major: major != nil, startsAt: Self.wallTime(startsAt), venue: venue ?? "", media: media ?? "",
                                 series: series != nil)
        }

        /// `datetime-local` style input (`2026-12-21T10:00`) is read as the same wall time.
        static func wallTime(_ raw: String?) -> String {
            (raw ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "T", with: " ")
        }

        var fields: ActivityFields {
            var f = ActivityFields()
            f.agencyId = agencyId ?? ""
            f.title = title ?? ""
            f.form = form ?? f.form
            f.category = category ?? f.category
            f.conferenceClass = conferenceClass ?? f.conferenceClass
            f.organiser = organiser ?? f.organiser
            f.level = level ?? f.level
            f.major = major != nil
            f.startsAt = startsAt ?? ""
            f.venue = venue ?? ""
            f.media = media ?? ""
            f.summary = summary ?? ""
            f.series = series != nil
            return f
        }
    }

    func createActivityFromForm(req: Request) async throws -> Response {
        let f = try req.content.decode(ActivityForm.self)
        do {
            guard let agency = f.agencyId.flatMap(UUID.init(uuidString:)) else {
                throw DomainError.field("agencyId", label: "发布单位", "请选择发布单位")
            }
            let a = try await req.releaseService().create(f.input(agency: agency))
            return req.redirect(to: Self.recordPath(a.id, done: "created"), redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            try await auditDenial(req, e)
            return try await renderActivities(req, notice: nil, error: e, typed: f)
        }
    }

    static func recordPath(_ id: UUID?, done: String) -> String {
        "/admin/activities/\(id?.uuidString ?? "")?done=\(done)"
    }

    func auditDenial(_ req: Request, _ e: DomainError) async throws {
        if e.kind == .forbidden {
            try await AuditLog.security(on: req.db, req.auditContext, action: "permission.denied", entityID: req.url.path)
        }
    }

    // MARK: 待办

    func inboxPage(req: Request) async throws -> Response {
        let s = try await req.releaseService()
        let rows = try await s.summaries(try await s.inbox(), sortByDue: true).map(ActivityRow.init)
        return try await req.renderPage("inbox", title: "待办", nav: "inbox",
                                        body: InboxView(rows: rows, overdue: rows.filter(\.overdue).count))
    }

    // MARK: 发布日历

    func activityCalendarPage(req: Request) async throws -> Response {
        let s = try await req.releaseService()
        let today = s.today
        let thisMonth = CivilDate(year: today.year, month: today.month, day: 1) ?? today
        let asked = req.query[String.self, at: "month"].flatMap { CivilDate($0 + "-01") }
        let first = asked.flatMap { (1990...2100).contains($0.year) ? $0 : nil } ?? thisMonth
        let next = first.adding(months: 1)
        let (from, to) = (first.startOfDay, next.startOfDay)
        // Rejected, withdrawn and cancelled activities will not take place.
        let gone: Set<ActivityStage> = [.rejected, .withdrawn, .cancelled]
        let inMonth = try await s.list(.init(from: from, to: to, limit: 1000)).filter { !gone.contains($0.stageValue) }
        let series = try await s.list(.init(limit: 1000)).filter { $0.series && !gone.contains($0.stageValue) }
        let sittings = series.isEmpty ? [] : try await ActivitySittingModel.query(on: req.db)
            .filter(\.$activityID ~~ series.compactMap(\.id)).filter(\.$startsAt >= from).filter(\.$startsAt < to).all()
        var all = inMonth
        for a in series where !all.contains(where: { $0.id == a.id }) { all.append(a) }
        let summaries = Dictionary(uniqueKeysWithValues: try await s.summaries(all).map { ($0.id, $0) })

        var byDay: [CivilDate: [(Date, ActivityCalendarView.Entry)]] = [:]
        func add(_ at: Date, _ s: ActivitySummaryDTO, venue: String, sitting: String) {
            let entry = ActivityCalendarView.Entry(
                id: s.id, time: String(HourClock.wallTime(at).suffix(5)), title: s.title, formLabel: s.formLabel,
                agencyName: s.agencyName, stageLabel: s.stageLabel, venue: venue, scheduled: s.stage == ActivityStage.scheduled.rawValue,
                conference: s.form == ReleaseForm.pressConference.rawValue, sitting: sitting)
            byDay[CivilDate(at), default: []].append((at, entry))
        }
        for a in inMonth {
            guard let at = a.startsAt, let id = a.id, let sum = summaries[id] else { continue }
            // A series lists its sittings; the first one usually is the activity's own time.
            if sittings.contains(where: { $0.activityID == id && $0.startsAt == at }) { continue }
            add(at, sum, venue: a.venue, sitting: "")
        }
        for x in sittings { if let sum = summaries[x.activityID] { add(x.startsAt, sum, venue: x.venue, sitting: "第\(x.number)场") } }
        let days = byDay.keys.sorted().map { day in
            ActivityCalendarView.Day(date: day.description, weekday: day.weekdayName, today: day == today, past: day < today,
                                     entries: byDay[day, default: []].sorted { $0.0 < $1.0 }.map(\.1))
        }
        let view = ActivityCalendarView(month: String(first.description.prefix(7)), monthTitle: "\(first.year) 年 \(first.month) 月",
                                        prevMonth: String(first.adding(months: -1).description.prefix(7)),
                                        nextMonth: String(next.description.prefix(7)), days: days,
                                        total: days.reduce(0) { $0 + $1.entries.count })
        return try await req.renderPage("activity-calendar", title: "发布日历", nav: "activity-calendar", body: view)
    }

    // MARK: one record

    /// The forms of the record page; a refusal names the form it came from.
    enum RecordForm: String {
        case edit, submit, signOff, review, approval, assess, participants, programme, upload, schedule, preview
        case change, hold, release, transcript, coverage, evaluation, brief, withdraw, sitting, holdSitting
    }

    typealias Typed = (inout RecordForms, inout ActivityFields) -> Void

    func activityPage(req: Request) async throws -> Response {
        try await renderActivity(req, notice: Notice.text(req.query[String.self, at: "done"]), failure: nil)
    }

    func renderActivity(_ req: Request, notice: String?, failure: (RecordForm, DomainError)?,
                        typed: Typed = { _, _ in }) async throws -> Response {
        let s = try await req.releaseService()
        let model = try await s.activity(req.parameters.get("activityID", as: UUID.self))
        let dto = try await s.detail(model)
        let profile = try await s.profile(jurisdiction: model.jurisdictionID)
        let rules = profile.conference
        let stage = model.stageValue
        let agency = model.agencyID.uuidString
        let access = s.access
        let chain = ApprovalChain(rules: rules.approval, major: model.major)

        // Who may do what now: the same tests the service applies, so a form is shown only to
        // someone it will not refuse for their role (the service still decides).
        let prepare = access.canPrepareActivity(of: agency)
        let conference = model.formValue.isConference
        let decision = try await s.decisionOpen(to: model, profile: profile)
        let canSignOff = decision == .signOff
        let canReview = decision == .review
        let canApprove = decision == .approval

        let approveOrReturn = [ChoiceOption(value: "approve", label: "同意"), ChoiceOption(value: "return", label: "退回修改")]
        var review = DecisionValues(choices: approveOrReturn + [ChoiceOption(value: "reject", label: "不予通过")])
        review.documents = rules.applicationDocuments.value.map { DocumentComment(kind: $0.rawValue, label: $0.label, text: "") }
        var signOffChoices = approveOrReturn
        signOffChoices[0].label = "同意，送新闻办审核"

        let filed = Set(dto.documents.map(\.kind))
        let wanted = conference ? (rules.applicationDocuments.value + rules.materials.value).map(\.rawValue) : []
        var assess = AssessmentValues(reviewer: s.user.displayName)
        assess.kinds = [ChoiceOption(value: DecisionKind.confidentiality.rawValue, label: DecisionKind.confidentiality.label)]
            + (conference ? [ChoiceOption(value: DecisionKind.stability.rawValue, label: DecisionKind.stability.label)] : [])
        let uploadKinds = DocumentKinds.all.map { ChoiceOption(value: $0, label: DocumentKinds.label($0)) }

        var submitHints: [String] = []
        if conference {
            let docs = rules.applicationDocuments.value
            if !docs.isEmpty {
                let missing = docs.filter { !filed.contains($0.rawValue) }
                submitHints.append("申报须附：\(docs.map(\.label).joined(separator: "、"))（\(rules.applicationDocuments.source)）"
                                   + (missing.isEmpty ? "，均已上传。" : "；尚未上传：\(missing.map(\.label).joined(separator: "、"))。"))
            }
            if let lead = rules.applicationLeadWorkingDays.value, model.conferenceClass != ConferenceClass.emergency.rawValue {
                submitHints.append("须至少提前\(lead)个工作日申报（\(rules.applicationLeadWorkingDays.source)）；申报截止后提交，须勾选“紧急申报”并写明理由。")
            }
            submitHints.append("提交后送\(rules.applicationSignOff.value.label)审签。")
        } else {
            submitHints.append("提交后进入内容审定：\(chain.text)。")
        }
        let showParticipants = prepare && conference && [.draft, .returned, .preparing, .approved, .scheduled].contains(stage)
        var forms = RecordForms(
            submit: .init(show: prepare && stage.isEditableByAgency, open: true,
                          values: UrgentValues(urgent: model.urgentReason != nil, urgentReason: model.urgentReason ?? "", hints: submitHints)),
            signOff: .init(show: canSignOff, open: true, values: DecisionValues(choices: signOffChoices)),
            review: .init(show: canReview, open: true, values: review),
            approval: .init(show: canApprove, open: true, values: DecisionValues(choices: approveOrReturn)),
            assess: .init(show: prepare && [.preparing, .approved, .scheduled].contains(stage), values: assess),
            participants: .init(show: showParticipants,
                                values: showParticipants || failure?.0 == .participants ? try await participantValues(req, model, dto) : ParticipantValues()),
            programme: .init(show: prepare && conference && [.draft, .returned, .preparing, .scheduled].contains(stage),
                             values: programmeValues(dto)),
            upload: .init(show: prepare && [.draft, .returned, .preparing, .approved, .scheduled, .held].contains(stage),
                          values: UploadValues(kind: wanted.first { !filed.contains($0) } ?? "other", kinds: uploadKinds,
                                               maxMB: req.application.settings.maxUploadBytes / 1_048_576)),
            schedule: .init(show: prepare && stage == .preparing, values: NoValues()),
            preview: .init(show: prepare && stage == .scheduled, values: LinkValues(url: model.liveURL ?? "")),
            change: .init(show: prepare && stage.isApproved,
                          values: ChangeValues(startsAt: model.startsAt.map(HourClock.wallTime) ?? "", venue: model.venue,
                                               title: model.title, summary: model.summary)),
            hold: .init(show: prepare && stage == .scheduled, values: LinkValues(url: model.videoURL ?? "")),
            release: .init(show: prepare && stage == .approved, values: NoValues()),
            transcript: .init(show: prepare && (stage == .held || (stage == .scheduled && model.series)),
                              values: TranscriptValues(sittings: dto.sittings.map { ChoiceOption(value: "\($0.number)", label: "第\($0.number)场（\($0.startsAt)）") },
                                                       rows: (0..<3).map { TranscriptFormRow(index: $0) })),
            coverage: .init(show: prepare && [.held, .released, .closed].contains(stage), values: CoverageValues(publishedOn: s.today.description)),
            evaluation: .init(show: prepare && [.held, .released].contains(stage), values: TextValues(text: model.effect ?? "")),
            brief: .init(show: prepare && stage == .held, values: TextValues(text: model.briefReport ?? "", required: rules.briefReport.value)),
            withdraw: .init(show: (prepare || access.canReviewApplication(of: agency)) && !stage.isFinal && stage != .held,
                            values: WithdrawValues(verb: stage.isApproved ? "取消" : "撤回")),
            sitting: .init(show: prepare && model.series && [.preparing, .scheduled].contains(stage), values: SittingValues(venue: model.venue)),
            edit: .init(show: prepare && stage.isEditableByAgency, values: NoValues()))

        var fields = ActivityFields(
            title: model.title, form: model.form, category: model.category, conferenceClass: model.conferenceClass ?? ConferenceClass.routine.rawValue,
            organiser: model.organiser, level: model.level, major: model.major, startsAt: model.startsAt.map(HourClock.wallTime) ?? "",
            venue: model.venue, media: model.media, summary: model.summary, series: model.series, withAgency: false)
        if let venue = rules.venue.value { fields.venueHint = "留空则为\(venue)" }

        typed(&forms, &fields)
        if let failure { Self.mark(failure.0, failure.1, forms: &forms, fields: &fields) }

        let names = Dictionary(dto.agencies.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let segments = dto.segments.map { SegmentRow(kindLabel: $0.kindLabel, title: $0.title, speaker: $0.speaker,
                                                     agencyName: $0.agencyId.flatMap { names[$0] } ?? "", minutes: $0.minutes) }
        let rounds = Set(dto.decisions.map(\.round)).sorted().map { r in
            DecisionRound(round: r, current: r == dto.round, decisions: dto.decisions.filter { $0.round == r }.map(DecisionRow.init))
        }
        let sittings = dto.sittings.map {
            SittingRow(number: $0.number, startsAt: $0.startsAt, venue: $0.venue, held: $0.held, canHold: prepare && stage == .scheduled && !$0.held)
        }
        let documents = dto.documents.map(DocumentRow.init)
        let position = stage == .approval && chain.stages.indices.contains(model.approvalStage)
            ? "当前第\(model.approvalStage + 1)级（共\(chain.stages.count)级），须由\(chain.stages[model.approvalStage].labels)审定" : ""
        let view = ActivityRecordView(
            a: dto,
            times: RecordTimes(submittedAt: dto.submittedAt.map(HourClock.wallTime) ?? "",
                               previewPublishedAt: dto.previewPublishedAt.map(HourClock.wallTime) ?? "",
                               heldAt: dto.heldAt.map(HourClock.wallTime) ?? "", releasedAt: dto.releasedAt.map(HourClock.wallTime) ?? "",
                               closedAt: dto.closedAt.map(HourClock.wallTime) ?? ""),
            agencies: dto.agencies.map { $0.lead && dto.agencies.count > 1 ? "\($0.name)（牵头）" : $0.name }.joined(separator: "、"),
            approvalPosition: position, isConference: conference,
            deadlines: dto.deadlines.map(DeadlineRow.init), blockers: dto.blockers, rounds: rounds,
            participants: dto.participants, segments: segments, totalMinutes: dto.segments.reduce(0) { $0 + $1.minutes },
            documents: documents, lateDocuments: documents.filter(\.late).count, sittings: sittings,
            transcript: dto.transcript.map { TranscriptRow(sitting: $0.sitting.map { "第\($0)场" } ?? "", speaker: $0.speaker, text: $0.text) },
            timeline: dto.timeline.map(EventRow.init), forms: forms,
            actionCount: forms.shown + sittings.filter(\.canHold).count, fields: fields)
        return try await req.renderPage("activity", title: dto.title, nav: "activities", body: view, notice: notice, error: failure?.1)
    }

    /// Opens the form a refusal came from and puts its field messages next to the inputs.
    static func mark(_ form: RecordForm, _ e: DomainError, forms: inout RecordForms, fields: inout ActivityFields) {
        let decision: Set<String> = ["decision", "comment", "documentComments"]
        switch form {
        case .edit:
            fields.errors = e.fields
            forms.edit.fail(e, fields: ["title", "form", "category", "conferenceClass", "organiser", "level", "major",
                                        "startsAt", "venue", "media", "summary", "series"])
        case .submit: forms.submit.fail(e, fields: ["urgent", "urgentReason"])
        case .signOff: forms.signOff.fail(e, fields: decision)
        case .review: forms.review.fail(e, fields: decision)
        case .approval: forms.approval.fail(e, fields: decision)
        case .assess: forms.assess.fail(e, fields: ["kind", "outcome", "reviewer", "comment"])
        case .participants: forms.participants.fail(e, fields: [])
        case .programme: forms.programme.fail(e, fields: [])
        case .upload: forms.upload.fail(e, fields: ["kind", "file", "filename"])
        case .schedule: forms.schedule.fail(e, fields: ["blockers"])
        case .preview: forms.preview.fail(e, fields: ["liveUrl"])
        case .change: forms.change.fail(e, fields: ["startsAt", "venue", "title", "summary", "reason"])
        case .hold: forms.hold.fail(e, fields: ["videoUrl"])
        case .release: forms.release.fail(e, fields: [])
        case .transcript: forms.transcript.fail(e, fields: ["sitting"])
        case .coverage: forms.coverage.fail(e, fields: ["outlet", "title", "url", "publishedOn"])
        case .evaluation: forms.evaluation.fail(e, fields: ["text"])
        case .brief: forms.brief.fail(e, fields: ["text"])
        case .withdraw: forms.withdraw.fail(e, fields: ["reason"])
        case .sitting: forms.sitting.fail(e, fields: ["startsAt", "venue"])
        case .holdSitting: break
        }
    }

    /// The current participants, then blank rows to add more (no JavaScript needed).
    private func participantValues(_ req: Request, _ a: ReleaseActivityModel, _ dto: ActivityDTO) async throws -> ParticipantValues {
        var v = ParticipantValues()
        // Any person of the jurisdiction may take part: the host is often from the news office.
        let agencies = try await AgencyModel.query(on: req.db).filter(\.$jurisdictionID == a.jurisdictionID).sort(\.$sortOrder).all()
        let names = Dictionary(agencies.compactMap { a in a.id.map { ($0, a.name) } }, uniquingKeysWith: { x, _ in x })
        let people = agencies.isEmpty ? [] : try await PersonModel.query(on: req.db).filter(\.$agencyID ~~ agencies.compactMap(\.id))
            .sort(\.$name).all()
        v.people = people.compactMap { p in
            p.id.map { ChoiceOption(value: $0.uuidString, label: "\(p.name)（\([p.title, names[p.agencyID] ?? ""].filter { !$0.isEmpty }.joined(separator: "，"))）") }
        }
        let official = Dictionary(Official.allCases.map { ($0.label, $0.rawValue) }, uniquingKeysWith: { x, _ in x })
        v.rows = dto.participants.enumerated().map { i, p in
            ParticipantFormRow(index: i, role: p.role, personId: p.personId?.uuidString ?? "",
                               name: p.personId == nil ? p.name : "", title: p.personId == nil ? p.title : "",
                               office: p.personId == nil ? (p.offices.first.flatMap { official[$0] } ?? "") : "",
                               podium: p.onPodium ? "yes" : "no")
        }
        let blanks = max(2, 4 - v.rows.count)
        v.rows += (0..<blanks).map { ParticipantFormRow(index: v.rows.count + $0) }
        return v
    }

    private func programmeValues(_ dto: ActivityDTO) -> ProgrammeValues {
        var v = ProgrammeValues()
        v.agencies = dto.agencies.map { ChoiceOption(value: $0.id.uuidString, label: $0.name) }
        v.rows = dto.segments.enumerated().map { i, s in
            SegmentFormRow(index: i, kind: s.kind, title: s.title, speaker: s.speaker, agencyId: s.agencyId?.uuidString ?? "", minutes: "\(s.minutes)")
        }
        if v.rows.isEmpty {
            // The usual shape of a conference (001 §6(一): questions are answered); times left to fill.
            v.rows = [SegmentKind.opening, .statement, .qa].enumerated().map { SegmentFormRow(index: $0, kind: $1.rawValue) }
        }
        let blanks = max(2, 4 - v.rows.count)
        v.rows += (0..<blanks).map { SegmentFormRow(index: v.rows.count + $0) }
        return v
    }

    /// Runs one workflow step from a form: back to the record with a notice, or the record again
    /// with the refusal and what was typed.
    func recordCommand(_ req: Request, _ form: RecordForm, done: String, typed: Typed = { _, _ in },
                       _ run: (ReleaseService, UUID?) async throws -> Void) async throws -> Response {
        let id = req.parameters.get("activityID", as: UUID.self)
        do {
            try await run(try await req.releaseService(), id)
            return req.redirect(to: Self.recordPath(id, done: done), redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            try await auditDenial(req, e)
            return try await renderActivity(req, notice: nil, failure: (form, e), typed: typed)
        }
    }

    // MARK: the steps

    func editActivityFromForm(req: Request) async throws -> Response {
        let f = try req.content.decode(ActivityForm.self)
        return try await recordCommand(req, .edit, done: "edited", typed: { _, fields in
            var typed = f.fields
            typed.withAgency = false
            typed.venueHint = fields.venueHint
            fields = typed
        }) { s, id in _ = try await s.edit(id, f.input(agency: nil)) }
    }

    func submitActivity(req: Request) async throws -> Response {
        struct Form: Content { var urgent: String?; var urgentReason: String? }
        let f = try req.content.decode(Form.self)
        let reason = (f.urgentReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return try await recordCommand(req, .submit, done: "submitted", typed: { forms, _ in
            forms.submit.values.urgent = f.urgent != nil
            forms.submit.values.urgentReason = f.urgentReason ?? ""
        }) { s, id in
            // The box and the reason go together, so a reason is never dropped unnoticed.
            if f.urgent == nil, !reason.isEmpty {
                throw DomainError.field("urgent", label: "紧急申报", "写了紧急理由，请同时勾选“紧急申报”")
            }
            _ = try await s.submit(id, SubmitInput(urgentReason: f.urgent == nil ? nil : reason))
        }
    }

    struct DecisionForm: Content {
        var decision: String?
        var comment: String?
        var documentComments: [String: String]?
    }

    func decide(_ req: Request, _ form: RecordForm) async throws -> Response {
        let f = try req.content.decode(DecisionForm.self)
        let input = DecisionInput(decision: f.decision ?? "", comment: f.comment, documentComments: f.documentComments)
        let keep: (inout DecisionValues) -> Void = { v in
            v.decision = f.decision ?? ""
            v.comment = f.comment ?? ""
            for i in v.documents.indices { v.documents[i].text = f.documentComments?[v.documents[i].kind] ?? "" }
        }
        return try await recordCommand(req, form, done: "\(form.rawValue)-\(f.decision ?? "")", typed: { forms, _ in
            switch form {
            case .signOff: keep(&forms.signOff.values)
            case .review: keep(&forms.review.values)
            default: keep(&forms.approval.values)
            }
        }) { s, id in
            switch form {
            case .signOff: _ = try await s.signOff(id, input)
            case .review: _ = try await s.review(id, input)
            default: _ = try await s.approve(id, input)
            }
        }
    }

    func assessActivity(req: Request) async throws -> Response {
        struct Form: Content { var kind: String?; var outcome: String?; var reviewer: String?; var comment: String? }
        let f = try req.content.decode(Form.self)
        return try await recordCommand(req, .assess, done: "assessed", typed: { forms, _ in
            forms.assess.values.kind = f.kind ?? ""
            forms.assess.values.outcome = f.outcome ?? ""
            forms.assess.values.reviewer = f.reviewer ?? ""
            forms.assess.values.comment = f.comment ?? ""
        }) { s, id in
            _ = try await s.assess(id, AssessmentInput(kind: f.kind ?? "", outcome: f.outcome ?? "", reviewer: f.reviewer, comment: f.comment))
        }
    }

    /// Rows posted as `participants[0][role]`…; a row with nothing chosen or typed is a blank row.
    struct ParticipantRowForm: Content {
        var role: String?
        var personId: String?
        var name: String?
        var title: String?
        var office: String?
        var podium: String?
    }

    func setParticipants(req: Request) async throws -> Response {
        struct Form: Content { var participants: [String: ParticipantRowForm]? }
        let rows = Self.ordered(try req.content.decode(Form.self).participants)
            .filter { Self.filled($0.role, $0.personId, $0.name, $0.title) }
        let input = ParticipantsInput(participants: rows.map { r in
            ParticipantInput(role: r.role ?? "", personId: (r.personId ?? "").isEmpty ? nil : UUID(uuidString: r.personId ?? ""),
                             name: r.name, title: r.title, office: r.office,
                             onPodium: r.podium == "yes" ? true : r.podium == "no" ? false : nil)
        })
        return try await recordCommand(req, .participants, done: "participants", typed: { forms, _ in
            var kept = rows.enumerated().map { i, r in
                ParticipantFormRow(index: i, role: r.role ?? "", personId: r.personId ?? "", name: r.name ?? "", title: r.title ?? "",
                                   office: r.office ?? "", podium: r.podium ?? "")
            }
            kept += (0..<2).map { ParticipantFormRow(index: kept.count + $0) }
            forms.participants.values.rows = kept
        }) { s, id in
            // A person id that is not a UUID is refused as a person not found, in the form.
            if rows.contains(where: { !($0.personId ?? "").isEmpty && UUID(uuidString: $0.personId ?? "") == nil }) {
                throw DomainError.field("participants", label: "参加人员", "所选人员无效")
            }
            _ = try await s.setParticipants(id, input)
        }
    }

    struct SegmentRowForm: Content {
        var kind: String?
        var title: String?
        var speaker: String?
        var agencyId: String?
        var minutes: String?
    }

    func setProgramme(req: Request) async throws -> Response {
        struct Form: Content { var segments: [String: SegmentRowForm]? }
        let rows = Self.ordered(try req.content.decode(Form.self).segments)
            .filter { Self.filled($0.kind, $0.title, $0.speaker, $0.minutes) }
        let input = ProgrammeInput(segments: rows.map { r in
            SegmentInput(kind: r.kind ?? "", title: r.title, speaker: r.speaker, agencyId: r.agencyId.flatMap(UUID.init(uuidString:)),
                         minutes: Int((r.minutes ?? "").trimmingCharacters(in: .whitespaces)) ?? 0)
        })
        return try await recordCommand(req, .programme, done: "programme", typed: { forms, _ in
            var kept = rows.enumerated().map { i, r in
                SegmentFormRow(index: i, kind: r.kind ?? "", title: r.title ?? "", speaker: r.speaker ?? "", agencyId: r.agencyId ?? "",
                               minutes: r.minutes ?? "")
            }
            kept += (0..<2).map { SegmentFormRow(index: kept.count + $0) }
            forms.programme.values.rows = kept
        }) { s, id in _ = try await s.setProgramme(id, input) }
    }

    /// Whether a row of a repeated form has anything in it (blank rows are offered for adding).
    static func filled(_ values: String?...) -> Bool {
        values.contains { !($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// Rows of a repeated form, in the order of their index.
    static func ordered<Row>(_ rows: [String: Row]?) -> [Row] {
        (rows ?? [:]).sorted { (Int($0.key) ?? Int.max, $0.key) < (Int($1.key) ?? Int.max, $1.key) }.map(\.value)
    }

    func uploadActivityDocument(req: Request) async throws -> Response {
        struct Form: Content {
            var kind: String?
            var file: File?
            var isPublic: String?
            enum CodingKeys: String, CodingKey { case kind, file, isPublic = "public" }
        }
        let f = try req.content.decode(Form.self)
        return try await recordCommand(req, .upload, done: "uploaded", typed: { forms, _ in
            forms.upload.values.kind = f.kind ?? ""
            forms.upload.values.isPublic = f.isPublic != nil
        }) { s, id in
            guard let file = f.file, file.data.readableBytes > 0 else {
                throw DomainError.field("file", label: "文件", "请选择要上传的文件")
            }
            _ = try await s.upload(id, kind: f.kind, filename: file.filename, isPublic: f.isPublic != nil,
                                   bytes: Array(file.data.readableBytesView))
        }
    }

    func downloadActivityDocument(req: Request) async throws -> Response {
        let s = try await req.releaseService()
        let (doc, data) = try await s.download(req.parameters.get("activityID", as: UUID.self),
                                               document: req.parameters.get("documentID", as: UUID.self))
        return DocumentResponse.make(doc, data)
    }

    func publishPreview(req: Request) async throws -> Response {
        struct Form: Content { var liveUrl: String? }
        let f = try req.content.decode(Form.self)
        return try await recordCommand(req, .preview, done: "previewed", typed: { forms, _ in
            forms.preview.values.url = f.liveUrl ?? ""
        }) { s, id in _ = try await s.publishPreview(id, PreviewInput(liveUrl: f.liveUrl)) }
    }

    func changeActivity(req: Request) async throws -> Response {
        struct Form: Content { var startsAt: String?; var venue: String?; var title: String?; var summary: String?; var reason: String? }
        let f = try req.content.decode(Form.self)
        return try await recordCommand(req, .change, done: "changed", typed: { forms, _ in
            forms.change.values = ChangeValues(startsAt: f.startsAt ?? "", venue: f.venue ?? "", title: f.title ?? "",
                                               summary: f.summary ?? "", reason: f.reason ?? "")
        }) { s, id in
            _ = try await s.change(id, ChangeInput(startsAt: ActivityForm.wallTime(f.startsAt), venue: f.venue, title: f.title,
                                                   summary: f.summary, reason: f.reason))
        }
    }

    func holdActivity(req: Request) async throws -> Response {
        struct Form: Content { var videoUrl: String? }
        let f = try req.content.decode(Form.self)
        return try await recordCommand(req, .hold, done: "held", typed: { forms, _ in
            forms.hold.values.url = f.videoUrl ?? ""
        }) { s, id in _ = try await s.hold(id, HoldInput(videoUrl: f.videoUrl)) }
    }

    struct TranscriptRowForm: Content {
        var speaker: String?
        var text: String?
    }

    func addTranscript(req: Request) async throws -> Response {
        struct Form: Content { var sitting: String?; var entries: [String: TranscriptRowForm]? }
        let f = try req.content.decode(Form.self)
        let rows = Self.ordered(f.entries).filter { Self.filled($0.speaker, $0.text) }
        let input = TranscriptInput(sitting: f.sitting.flatMap { Int($0) },
                                    entries: rows.map { TranscriptEntryInput(speaker: $0.speaker ?? "", text: $0.text ?? "") })
        return try await recordCommand(req, .transcript, done: "transcript", typed: { forms, _ in
            forms.transcript.values.sitting = f.sitting ?? ""
            var kept = rows.enumerated().map { TranscriptFormRow(index: $0, speaker: $1.speaker ?? "", text: $1.text ?? "") }
            kept += (0..<max(1, 3 - kept.count)).map { TranscriptFormRow(index: kept.count + $0) }
            forms.transcript.values.rows = kept
        }) { s, id in _ = try await s.addTranscript(id, input) }
    }

    func addCoverage(req: Request) async throws -> Response {
        struct Form: Content { var outlet: String?; var title: String?; var url: String?; var publishedOn: String? }
        let f = try req.content.decode(Form.self)
        return try await recordCommand(req, .coverage, done: "coverage", typed: { forms, _ in
            forms.coverage.values = CoverageValues(outlet: f.outlet ?? "", title: f.title ?? "", url: f.url ?? "", publishedOn: f.publishedOn ?? "")
        }) { s, id in
            _ = try await s.addCoverage(id, CoverageInput(outlet: f.outlet, title: f.title, url: f.url, publishedOn: f.publishedOn))
        }
    }

    /// 效果评估 and 简报: one text each.
    func textCommand(_ req: Request, _ form: RecordForm, done: String) async throws -> Response {
        struct Form: Content { var text: String? }
        let f = try req.content.decode(Form.self)
        return try await recordCommand(req, form, done: done, typed: { forms, _ in
            if form == .brief { forms.brief.values.text = f.text ?? "" } else { forms.evaluation.values.text = f.text ?? "" }
        }) { s, id in
            if form == .brief { _ = try await s.archiveBriefReport(id, TextInput(text: f.text)) }
            else { _ = try await s.evaluate(id, TextInput(text: f.text)) }
        }
    }

    func withdrawActivity(req: Request) async throws -> Response {
        struct Form: Content { var reason: String? }
        let f = try req.content.decode(Form.self)
        return try await recordCommand(req, .withdraw, done: "withdrawn", typed: { forms, _ in
            forms.withdraw.values.reason = f.reason ?? ""
        }) { s, id in _ = try await s.withdraw(id, ReasonInput(reason: f.reason)) }
    }

    func addSitting(req: Request) async throws -> Response {
        struct Form: Content { var startsAt: String?; var venue: String? }
        let f = try req.content.decode(Form.self)
        return try await recordCommand(req, .sitting, done: "sitting", typed: { forms, _ in
            forms.sitting.values = SittingValues(startsAt: f.startsAt ?? "", venue: f.venue ?? "")
        }) { s, id in
            let venue = (f.venue ?? "").trimmingCharacters(in: .whitespaces)
            _ = try await s.addSitting(id, SittingInput(startsAt: ActivityForm.wallTime(f.startsAt), venue: venue.isEmpty ? nil : venue))
        }
    }
}
