import Core
import Fluent
import Vapor

/// Reading activities: lists scoped to what the caller sees, the inbox, and the full record.
extension ReleaseService {
    struct ListFilter {
        var stage: ActivityStage?
        var agency: UUID?
        var from: Date?
        var to: Date?
        var limit = 200
    }

    /// Activities whose lead or joint agency the caller sees (the newest `limit` created), latest
    /// event first.
    func list(_ filter: ListFilter) async throws -> [ReleaseActivityModel] {
        var q = ReleaseActivityModel.query(on: db)
        if let visible = access.visibleAgencies {
            let ids = visible.compactMap(UUID.init(uuidString:)).filter(canSeeActivities(of:))
            let joint = try await ActivityAgencyModel.query(on: db).filter(\.$agencyID ~~ ids).all().map(\.activityID)
            q = q.group(.or) { $0.filter(\.$agencyID ~~ ids).filter(\.$id ~~ joint) }
        }
        if let s = filter.stage { q = q.filter(\.$stage == s.rawValue) }
        if let a = filter.agency { q = q.filter(\.$agencyID == a) }
        if let f = filter.from { q = q.filter(\.$startsAt >= f) }
        if let t = filter.to { q = q.filter(\.$startsAt < t) }
        // Sorted here: SQLite and PostgreSQL put records without a time at opposite ends.
        let rows = try await q.sort(\.$createdAt, .descending).limit(filter.limit).all()
        return rows.sorted { ($0.startsAt ?? $0.createdAt ?? .distantPast) > ($1.startsAt ?? $1.createdAt ?? .distantPast) }
    }

    /// What waits for the caller, soonest due first: the news office's reviews, an approver's
    /// sign-offs and approval stages, an agency's returned, preparing and held records.
    func inbox() async throws -> [ReleaseActivityModel] {
        let open: [ActivityStage] = [.draft, .signOff, .review, .returned, .approval, .preparing, .approved, .scheduled, .held]
        let candidates = try await list(ListFilter(limit: 1000)).filter { open.contains($0.stageValue) }
        let jurisdictions = try await JurisdictionModel.query(on: db).all()
        var out: [ReleaseActivityModel] = []
        for a in candidates {
            switch a.stageValue {
            case .signOff, .review, .approval:
                guard let j = jurisdictions.first(where: { $0.id == a.jurisdictionID }), let p = app.profiles[j.profileID] else { continue }
                if try await decisionOpen(to: a, profile: p) != nil { out.append(a) }
            default:
                let agency = a.agencyID.uuidString
                if access.canPrepareActivity(of: agency), user.roleValue != .newsOffice || access.actor.agencyID == agency { out.append(a) }
            }
        }
        return out
    }

    /// The decision the caller may take on `a` now — sign-off, review or an approval stage —
    /// by the same tests the commands apply (which still decide). Used by the inbox and the web.
    func decisionOpen(to a: ReleaseActivityModel, profile: PolicyProfile) async throws -> DecisionKind? {
        let agency = a.agencyID.uuidString
        guard a.submittedBy != userID else { return nil }
        switch a.stageValue {
        case .signOff:
            return user.officeHolder.holds(profile.conference.applicationSignOff.value, for: agency, tree: access.tree) ? .signOff : nil
        case .review:
            return isReviewer(of: a) && a.createdBy != userID ? .review : nil
        case .approval:
            let chain = ApprovalChain(rules: profile.conference.approval, major: a.major)
            guard chain.stages.indices.contains(a.approvalStage),
                  !(try await approvals(of: a)).contains(where: { $0.decidedBy == userID }) else { return nil }
            return user.officeHolder.matching(chain.stages[a.approvalStage], for: agency, tree: access.tree).isEmpty ? nil : .approval
        default:
            return nil
        }
    }

    func deadlines(for ids: [UUID]) async throws -> [UUID: [DeadlineModel]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await DeadlineModel.query(on: db).filter(\.$subjectID ~~ ids).sort(\.$dueAt).all()
        return Dictionary(grouping: rows, by: \.subjectID)
    }

    func summaries(_ activities: [ReleaseActivityModel], sortByDue: Bool = false) async throws -> [ActivitySummaryDTO] {
        let clocks = try await deadlines(for: activities.compactMap(\.id))
        let agencyIDs = Set(activities.map(\.agencyID))
        let names = Dictionary(uniqueKeysWithValues: try await AgencyModel.query(on: db).filter(\.$id ~~ agencyIDs).all().map { ($0.id!, $0.name) })
        var out = activities.map { a in
            let next = clocks[a.id!]?.first { $0.state == "open" }
            return ActivitySummaryDTO(
                id: a.id!, title: a.title, form: a.form, formLabel: a.formValue.label, agencyId: a.agencyID,
                agencyName: names[a.agencyID] ?? "", jurisdictionId: a.jurisdictionID, stage: a.stage, stageLabel: a.stageValue.label,
                startsAt: a.startsAt.map(HourClock.wallTime), venue: a.venue, urgent: a.urgentReason != nil, major: a.major,
                nextDeadline: next.map { DeadlineDTO($0, now: now) })
        }
        if sortByDue {
            out.sort { ($0.nextDeadline?.dueAt ?? .distantFuture, $0.startsAt ?? "") < ($1.nextDeadline?.dueAt ?? .distantFuture, $1.startsAt ?? "") }
        }
        return out
    }

    /// Open clocks the caller sees, soonest first.
    func openDeadlines() async throws -> [DeadlineModel] {
        var q = DeadlineModel.query(on: db).filter(\.$state == "open")
        if let visible = access.visibleAgencies {
            q = q.filter(\.$agencyID ~~ visible.compactMap(UUID.init(uuidString:)).filter(canSeeActivities(of:)))
        }
        return try await q.sort(\.$dueAt).limit(500).all()
    }

    /// The whole record, timeline included.
    func detail(_ a: ReleaseActivityModel) async throws -> ActivityDTO {
        let id = a.id!
        let profile = try await profile(jurisdiction: a.jurisdictionID)
        let links = try await ActivityAgencyModel.query(on: db).filter(\.$activityID == id).all()
        let agencies = try await AgencyModel.query(on: db).filter(\.$id ~~ links.map(\.agencyID)).all()
        let name = { (id: UUID) in agencies.first { $0.id == id }?.name ?? "" }
        let decisions = try await ActivityDecisionModel.query(on: db).filter(\.$activityID == id).sort(\.$decidedAt).all()
        let participants = try await ActivityParticipantModel.query(on: db).filter(\.$activityID == id).sort(\.$position).all()
        let segments = try await ActivitySegmentModel.query(on: db).filter(\.$activityID == id).sort(\.$position).all()
        let documents = try await ActivityDocumentModel.query(on: db).filter(\.$activityID == id).sort(\.$uploadedAt).all()
        let events = try await ActivityEventModel.query(on: db).filter(\.$activityID == id).sort(\.$at).all()
        let sittings = try await ActivitySittingModel.query(on: db).filter(\.$activityID == id).sort(\.$number).all()
        let transcript = try await ActivityTranscriptModel.query(on: db).filter(\.$activityID == id).sort(\.$position).all()
        let coverage = try await ActivityCoverageModel.query(on: db).filter(\.$activityID == id).sort(\.$publishedOn).all()
        let clocks = try await DeadlineModel.query(on: db).filter(\.$subjectID == id).sort(\.$dueAt).all()
        let blocking = [.preparing, .approved].contains(a.stageValue) ? try await blockers(a) : []
        return ActivityDTO(
            id: id, jurisdictionId: a.jurisdictionID, agencyId: a.agencyID, agencyName: name(a.agencyID),
            agencies: links.sorted { $0.isLead && !$1.isLead }.map { ActivityAgencyDTO(id: $0.agencyID, name: name($0.agencyID), lead: $0.isLead) },
            title: a.title, summary: a.summary, form: a.form, formLabel: a.formValue.label,
            category: a.category, categoryLabel: ContentCategory(rawValue: a.category)?.label ?? a.category,
            conferenceClass: a.conferenceClass, conferenceClassLabel: a.conferenceClass.flatMap(ConferenceClass.init(rawValue:))?.label,
            organiser: a.organiser, organiserLabel: OrganiserLevel(rawValue: a.organiser)?.label ?? a.organiser,
            level: a.level, levelLabel: a.levelValue.label, major: a.major,
            startsAt: a.startsAt.map(HourClock.wallTime), venue: a.venue, media: a.media,
            stage: a.stage, stageLabel: a.stageValue.label, round: a.round, approvalStage: a.approvalStage,
            approvalChain: ApprovalChain(rules: profile.conference.approval, major: a.major).text,
            urgentReason: a.urgentReason, series: a.series, liveUrl: a.liveURL, videoUrl: a.videoURL,
            previewPublishedAt: a.previewPublishedAt, releasedAt: a.releasedAt, heldAt: a.heldAt, closedAt: a.closedAt,
            effect: a.effect, briefReport: a.briefReport, submittedAt: a.submittedAt, blockers: blocking,
            deadlines: clocks.map { DeadlineDTO($0, now: now) }, decisions: decisions.map(DecisionDTO.init),
            participants: participants.map(ParticipantDTO.init), segments: segments.map(SegmentDTO.init),
            documents: documents.map(DocumentDTO.init),
            sittings: sittings.map { SittingDTO(number: $0.number, startsAt: HourClock.wallTime($0.startsAt), venue: $0.venue, held: $0.heldAt != nil, note: $0.note) },
            transcript: transcript.map { TranscriptEntryDTO(sitting: $0.sitting, speaker: $0.speaker, text: $0.text) },
            coverage: coverage.map { CoverageDTO(outlet: $0.outlet, title: $0.title, url: $0.url, publishedOn: $0.publishedOn) },
            timeline: events.map(EventDTO.init))
    }
}

extension Request {
    /// The release service for the logged-in user.
    func releaseService() async throws -> ReleaseService {
        let p = try requirePrincipal()
        return ReleaseService(db: db, app: application, user: p.user, access: try await access(), audit: auditContext)
    }
}
