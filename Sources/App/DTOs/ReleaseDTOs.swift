import Core
import Vapor

// MARK: inputs

/// Create or edit an activity. Dates are Shanghai wall time `yyyy-MM-dd HH:mm`.
struct ActivityInput: Content {
    var agencyId: UUID?
    var title: String?
    var summary: String?
    var form: String?
    var category: String?
    var conferenceClass: String?
    var organiser: String?
    var level: String?
    var major: Bool?
    var startsAt: String?
    var venue: String?
    var media: String?
    /// Other agencies of a joint release (联合发布).
    var jointAgencyIds: [UUID]?
    var series: Bool?
}

struct SubmitInput: Content {
    /// 紧急申报: required to send an application inside the lead time.
    var urgentReason: String?
}

/// A decision: sign-off, review or an approval stage.
struct DecisionInput: Content {
    /// approve, return or reject (review only).
    var decision: String
    var comment: String?
    /// Per-document comments of a return: `{"statement": "第二段数据需核实"}`.
    var documentComments: [String: String]?
}

/// 保密审查 or 社会稳定风险评估.
struct AssessmentInput: Content {
    /// confidentiality or stability
    var kind: String
    /// passed or failed
    var outcome: String
    var reviewer: String?
    var comment: String?
}

struct ParticipantInput: Content {
    var role: String
    /// A person of the roster; name, title and offices then come from the roster.
    var personId: UUID?
    var name: String?
    var title: String?
    /// For people outside the roster (分管副区长, an expert): the office they hold.
    var office: String?
    var onPodium: Bool?
}

struct ParticipantsInput: Content {
    var participants: [ParticipantInput]
}

struct SegmentInput: Content {
    var kind: String
    var title: String?
    var speaker: String?
    var agencyId: UUID?
    var minutes: Int
}

struct ProgrammeInput: Content {
    var segments: [SegmentInput]
}

/// A change after approval (SPEC §4.9); any field left out stays as it is.
struct ChangeInput: Content {
    var startsAt: String?
    var venue: String?
    var title: String?
    var summary: String?
    var reason: String?
    /// Required when the new time is inside the lead time (紧急).
    var urgentReason: String?
}

struct PreviewInput: Content {
    var liveUrl: String?
}

struct HoldInput: Content {
    var videoUrl: String?
}

struct TranscriptEntryInput: Content {
    var speaker: String
    var text: String
}

struct TranscriptInput: Content {
    var sitting: Int?
    var entries: [TranscriptEntryInput]
}

struct CoverageInput: Content {
    var outlet: String?
    var title: String?
    var url: String?
    var publishedOn: String?
}

struct TextInput: Content {
    var text: String?
}

struct ReasonInput: Content {
    var reason: String?
}

struct SittingInput: Content {
    var startsAt: String?
    var venue: String?
}

// MARK: outputs

struct DeadlineDTO: Content {
    var id: UUID
    var kind: String
    var label: String
    var round: Int
    var dueDay: String
    var dueAt: Date
    var certain: Bool
    var source: String
    var explanation: [String]
    var state: String
    var overdue: Bool
    var subjectType: String
    var subjectId: UUID

    init(_ m: DeadlineModel, now: Date) {
        id = m.id!
        kind = m.kind
        label = m.label
        round = m.round
        dueDay = m.dueDay
        dueAt = m.dueAt
        certain = m.certain
        source = m.source
        explanation = m.explanation.split(separator: "\n").map(String.init)
        state = m.state
        overdue = m.isOverdue(at: now)
        subjectType = m.subjectType
        subjectId = m.subjectID
    }
}

struct ActivityAgencyDTO: Content {
    var id: UUID
    var name: String
    var lead: Bool
}

struct DecisionDTO: Content {
    var kind: String
    var kindLabel: String
    var round: Int
    var stage: Int
    var outcome: String
    var outcomeLabel: String
    var offices: [String]
    var comment: String
    var documentComments: [String: String]
    var reviewer: String
    var decidedAt: Date

    init(_ m: ActivityDecisionModel) {
        kind = m.kind
        kindLabel = DecisionKind(rawValue: m.kind)?.label ?? m.kind
        round = m.round
        stage = m.stage
        outcome = m.outcome
        outcomeLabel = ["approved": "同意", "returned": "退回修改", "rejected": "不予通过", "passed": "通过", "failed": "未通过"][m.outcome] ?? m.outcome
        offices = m.offices.split(separator: ",").compactMap { Official(rawValue: String($0))?.label }
        comment = m.comment
        documentComments = (try? JSONDecoder().decode([String: String].self, from: Data(m.documentComments.utf8))) ?? [:]
        reviewer = m.reviewer
        decidedAt = m.decidedAt
    }
}

struct ParticipantDTO: Content {
    var role: String
    var roleLabel: String
    var personId: UUID?
    var name: String
    var title: String
    var offices: [String]
    var onPodium: Bool

    init(_ m: ActivityParticipantModel) {
        role = m.role
        roleLabel = ParticipantRole(rawValue: m.role)?.label ?? m.role
        personId = m.personID
        name = m.name
        title = m.title
        offices = m.offices.split(separator: ",").compactMap { Official(rawValue: String($0))?.label }
        onPodium = m.onPodium
    }
}

struct SegmentDTO: Content {
    var kind: String
    var kindLabel: String
    var title: String
    var speaker: String
    var agencyId: UUID?
    var minutes: Int

    init(_ m: ActivitySegmentModel) {
        kind = m.kind
        kindLabel = SegmentKind(rawValue: m.kind)?.label ?? m.kind
        title = m.title
        speaker = m.speaker
        agencyId = m.agencyID
        minutes = m.minutes
    }
}

struct DocumentDTO: Content {
    var id: UUID
    var kind: String
    var kindLabel: String
    var filename: String
    var contentType: String
    var size: Int
    var sha256: String
    var isPublic: Bool
    var round: Int
    var late: Bool
    var uploadedAt: Date

    init(_ m: ActivityDocumentModel) {
        id = m.id!
        kind = m.kind
        kindLabel = DocumentKinds.label(m.kind)
        filename = m.filename
        contentType = m.contentType
        size = m.size
        sha256 = m.sha256
        isPublic = m.isPublic
        round = m.round
        late = m.late
        uploadedAt = m.uploadedAt
    }
}

struct EventDTO: Content {
    var at: Date
    var actor: String
    var action: String
    var actionLabel: String
    var stageFrom: String
    var stageTo: String
    var stageToLabel: String
    var note: String

    init(_ m: ActivityEventModel) {
        at = m.at
        actor = m.actorName
        action = m.action
        actionLabel = ActivityAction(rawValue: m.action)?.label ?? m.action
        stageFrom = m.stageFrom
        stageTo = m.stageTo
        stageToLabel = ActivityStage(rawValue: m.stageTo)?.label ?? m.stageTo
        note = m.note
    }
}

struct SittingDTO: Content {
    var number: Int
    var startsAt: String
    var venue: String
    var held: Bool
    var note: String
}

struct TranscriptEntryDTO: Content {
    var sitting: Int?
    var speaker: String
    var text: String
}

struct CoverageDTO: Content {
    var outlet: String
    var title: String
    var url: String
    var publishedOn: String
}

/// One activity in a list: enough for the inbox, "my applications" and the calendar.
struct ActivitySummaryDTO: Content {
    var id: UUID
    var title: String
    var form: String
    var formLabel: String
    var agencyId: UUID
    var agencyName: String
    var jurisdictionId: String
    var stage: String
    var stageLabel: String
    var startsAt: String?
    var venue: String
    var urgent: Bool
    var major: Bool
    /// The earliest open clock, if any.
    var nextDeadline: DeadlineDTO?
}

/// The whole record of one activity, its timeline included.
struct ActivityDTO: Content {
    var id: UUID
    var jurisdictionId: String
    var agencyId: UUID
    var agencyName: String
    var agencies: [ActivityAgencyDTO]
    var title: String
    var summary: String
    var form: String
    var formLabel: String
    var category: String
    var categoryLabel: String
    var conferenceClass: String?
    var conferenceClassLabel: String?
    var organiser: String
    var organiserLabel: String
    var level: String
    var levelLabel: String
    var major: Bool
    var startsAt: String?
    var venue: String
    var media: String
    var stage: String
    var stageLabel: String
    var round: Int
    var approvalStage: Int
    /// The chain of this activity, e.g. 「本单位主要负责人或本单位新闻发言人 → 分管政府领导」.
    var approvalChain: String
    var urgentReason: String?
    var series: Bool
    var liveUrl: String?
    var videoUrl: String?
    var previewPublishedAt: Date?
    var releasedAt: Date?
    var heldAt: Date?
    var closedAt: Date?
    var effect: String?
    var briefReport: String?
    var submittedAt: Date?
    /// What must still be done before the next step, in Chinese.
    var blockers: [String]
    var deadlines: [DeadlineDTO]
    var decisions: [DecisionDTO]
    var participants: [ParticipantDTO]
    var segments: [SegmentDTO]
    var documents: [DocumentDTO]
    var sittings: [SittingDTO]
    var transcript: [TranscriptEntryDTO]
    var coverage: [CoverageDTO]
    var timeline: [EventDTO]
}
