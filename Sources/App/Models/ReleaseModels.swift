import Core
import Fluent
import Foundation

/// 发布活动 — one release activity; a press conference carries the whole workflow of SPEC §4.
final class ReleaseActivityModel: Model, @unchecked Sendable {
    static let schema = "release_activities"
    @ID(key: .id) var id: UUID?
    @Field(key: "jurisdiction_id") var jurisdictionID: String
    /// The lead agency (牵头单位); co-agencies of a joint release are in `activity_agencies`.
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "form") var form: String
    @Field(key: "category") var category: String
    @OptionalField(key: "conference_class") var conferenceClass: String?
    @Field(key: "organiser") var organiser: String
    @Field(key: "level") var level: String
    /// 重大事项: the approval chain climbs to the government (001 §15(三)).
    @Field(key: "major") var major: Bool
    @OptionalField(key: "starts_at") var startsAt: Date?
    @Field(key: "venue") var venue: String
    /// Media present or invited (free text).
    @Field(key: "media") var media: String
    @Field(key: "stage") var stage: String
    /// Approval round: a return or a change after approval starts a new one; history is kept.
    @Field(key: "round") var round: Int
    /// The content-approval stage reached in this round.
    @Field(key: "approval_stage") var approvalStage: Int
    /// Set when the application was sent inside the lead time as urgent (紧急), with the reason.
    @OptionalField(key: "urgent_reason") var urgentReason: String?
    /// 定时发布 — one approval, many sittings (001 §15(七)).
    @Field(key: "series") var series: Bool
    @OptionalField(key: "live_url") var liveURL: String?
    @OptionalField(key: "video_url") var videoURL: String?
    @OptionalField(key: "preview_published_at") var previewPublishedAt: Date?
    @OptionalField(key: "released_at") var releasedAt: Date?
    @OptionalField(key: "held_at") var heldAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// 效果评估
    @OptionalField(key: "effect") var effect: String?
    /// 简报 — archived with the news office (003 §35).
    @OptionalField(key: "brief_report") var briefReport: String?
    @Field(key: "created_by") var createdBy: UUID
    @OptionalField(key: "submitted_by") var submittedBy: UUID?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    /// The incident this release answers (migration 005).
    @OptionalField(key: "incident_id") var incidentID: UUID?

    init() {}

    var formValue: ReleaseForm { ReleaseForm(rawValue: form) ?? .writtenRelease }
    var stageValue: ActivityStage { ActivityStage(rawValue: stage) ?? .draft }
    var levelValue: ConferenceLevel { ConferenceLevel(rawValue: level) ?? .newsOffice }
    var eventDay: CivilDate? { startsAt.map { CivilDate($0) } }
}

/// An agency taking part in a joint release (联合发布); the lead agency has a row too.
final class ActivityAgencyModel: Model, @unchecked Sendable {
    static let schema = "activity_agencies"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "is_lead") var isLead: Bool

    init() {}
    init(activityID: UUID, agencyID: UUID, isLead: Bool) {
        self.activityID = activityID
        self.agencyID = agencyID
        self.isLead = isLead
    }
}

/// What a decision was about.
enum DecisionKind: String, Codable, Sendable {
    case signOff, review, approval, confidentiality, stability

    var label: String {
        switch self {
        case .signOff: "本单位审签"
        case .review: "新闻办审核"
        case .approval: "内容审定"
        case .confidentiality: "保密审查"
        case .stability: "社会稳定风险评估"
        }
    }
}

/// One decision by one person: sign-off, review, an approval stage, a confidentiality review or
/// a stability assessment. Rows are only ever added, so the history of every round stays.
final class ActivityDecisionModel: Model, @unchecked Sendable {
    static let schema = "activity_decisions"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "round") var round: Int
    @Field(key: "stage") var stage: Int
    /// approved, returned, rejected (review); passed, failed (the two assessments).
    @Field(key: "outcome") var outcome: String
    /// The offices the decider acted in (comma separated `Official` raw values).
    @Field(key: "offices") var offices: String
    @Field(key: "comment") var comment: String
    /// Per-document comments of a return, JSON `{"statement": "…"}`.
    @Field(key: "document_comments") var documentComments: String
    /// The name of the reviewer as recorded (the confidentiality officer may not have an account).
    @Field(key: "reviewer") var reviewer: String
    @Field(key: "decided_by") var decidedBy: UUID
    @Field(key: "decided_at") var decidedAt: Date

    init() {}
}

/// 发布人、主持人、专家、嘉宾 — linked to the roster when `personID` is set.
final class ActivityParticipantModel: Model, @unchecked Sendable {
    static let schema = "activity_participants"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "role") var role: String
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "title") var title: String
    @Field(key: "offices") var offices: String
    @Field(key: "on_podium") var onPodium: Bool

    init() {}
}

/// 议程 — one segment of the programme.
final class ActivitySegmentModel: Model, @unchecked Sendable {
    static let schema = "activity_segments"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "speaker") var speaker: String
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @Field(key: "minutes") var minutes: Int

    init() {}
}

/// An uploaded document. The bytes live under the data directory, named by `storageKey` (a
/// random UUID), never by the uploaded file name.
final class ActivityDocumentModel: Model, @unchecked Sendable {
    static let schema = "activity_documents"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    /// A `ConferenceDocument` raw value, or `other`, `transcript`, `briefReport`.
    @Field(key: "kind") var kind: String
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "storage_key") var storageKey: String
    /// Marked public: the portal may show it once the activity is released.
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "round") var round: Int
    /// Filed after the materials deadline.
    @Field(key: "late") var late: Bool
    @Field(key: "uploaded_by") var uploadedBy: UUID
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}

/// The timeline: one row per step, in the order it happened.
final class ActivityEventModel: Model, @unchecked Sendable {
    static let schema = "activity_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "stage_from") var stageFrom: String
    @Field(key: "stage_to") var stageTo: String
    @Field(key: "note") var note: String

    init() {}
}

/// One sitting of a scheduled series (定时发布).
final class ActivitySittingModel: Model, @unchecked Sendable {
    static let schema = "activity_sittings"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "number") var number: Int
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "venue") var venue: String
    @OptionalField(key: "held_at") var heldAt: Date?
    @Field(key: "note") var note: String

    init() {}
}

/// 文字实录 — what one speaker said.
final class ActivityTranscriptModel: Model, @unchecked Sendable {
    static let schema = "activity_transcripts"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @OptionalField(key: "sitting") var sitting: Int?
    @Field(key: "position") var position: Int
    @Field(key: "speaker") var speaker: String
    @Field(key: "text") var text: String

    init() {}
}

/// 媒体报道 — coverage collected after the event.
final class ActivityCoverageModel: Model, @unchecked Sendable {
    static let schema = "activity_coverage"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "outlet") var outlet: String
    @Field(key: "title") var title: String
    @Field(key: "url") var url: String
    @Field(key: "published_on") var publishedOn: String
    @Field(key: "added_by") var addedBy: UUID
    @Field(key: "added_at") var addedAt: Date

    init() {}
}

/// A clock of the platform: what is due, for which record, by when, under which rule.
final class DeadlineModel: Model, @unchecked Sendable {
    static let schema = "deadlines"
    @ID(key: .id) var id: UUID?
    @Field(key: "subject_type") var subjectType: String
    @Field(key: "subject_id") var subjectID: UUID
    @Field(key: "jurisdiction_id") var jurisdictionID: String
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "round") var round: Int
    @Field(key: "label") var label: String
    @Field(key: "due_day") var dueDay: String
    @Field(key: "due_at") var dueAt: Date
    @Field(key: "certain") var certain: Bool
    @Field(key: "source") var source: String
    /// How the due day was counted (the lines of `WorkingDayCount.explanation`, newline separated).
    @Field(key: "explanation") var explanation: String
    /// open, met, cancelled
    @Field(key: "state") var state: String
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    /// When the next reminder is due; nil when none is left (migration 004).
    @OptionalField(key: "next_reminder_at") var nextReminderAt: Date?
    /// How many of the profile's reminders have been sent.
    @OptionalField(key: "reminders_sent") var remindersSent: Int?
    /// When the overdue event fired; set once, by whichever instance claimed it.
    @OptionalField(key: "overdue_fired_at") var overdueFiredAt: Date?
    /// Bumped when the clock is moved or reopened; part of its event keys.
    @OptionalField(key: "generation") var generation: Int?

    init() {}

    func isOverdue(at now: Date) -> Bool { state == "open" && now >= dueAt }
}
