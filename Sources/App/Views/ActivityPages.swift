import Core
import Foundation

// View models of the release-activity pages (发布活动, 待办, 发布日历, one record). Built before
// rendering from the service's DTOs; every flag a template tests is computed here.

/// A select option; `selected` is set where the template cannot compare.
struct ChoiceOption: Encodable {
    var value: String
    var label: String
}

extension ChoiceOption {
    static func all<E: CaseIterable & RawRepresentable>(_ type: E.Type, label: (E) -> String) -> [ChoiceOption] where E.RawValue == String {
        E.allCases.map { ChoiceOption(value: $0.rawValue, label: label($0)) }
    }
}

/// One activity in a list (发布活动, 待办, 发布日历).
struct ActivityRow: Encodable {
    var id: UUID
    var title: String
    var formLabel: String
    var agencyName: String
    var stage: String
    var stageLabel: String
    var startsAt: String
    var venue: String
    var urgent: Bool
    var major: Bool
    var hasDeadline: Bool
    var deadlineLabel: String
    var deadlineDay: String
    var overdue: Bool
    /// What the reader of the inbox is expected to do next.
    var todo: String

    init(_ s: ActivitySummaryDTO) {
        id = s.id
        title = s.title
        formLabel = s.formLabel
        agencyName = s.agencyName
        stage = s.stage
        stageLabel = s.stageLabel
        startsAt = s.startsAt ?? "—"
        venue = s.venue
        urgent = s.urgent
        major = s.major
        hasDeadline = s.nextDeadline != nil
        deadlineLabel = s.nextDeadline?.label ?? ""
        deadlineDay = s.nextDeadline.map { d in CivilDate(d.dueDay).map { "\(d.dueDay)（\($0.weekdayName)）" } ?? d.dueDay } ?? ""
        overdue = s.nextDeadline?.overdue ?? false
        todo = Self.todo(ActivityStage(rawValue: s.stage) ?? .draft)
    }

    static func todo(_ stage: ActivityStage) -> String {
        switch stage {
        case .draft: "完善申报材料并提交"
        case .signOff: "本单位审签"
        case .review: "新闻办审核申报"
        case .returned: "按意见修改后重新提交"
        case .approval: "内容审定"
        case .preparing: "筹备：材料、发布人、议程、审查，完成后排期"
        case .approved: "保密审查后发布"
        case .scheduled: "发布预告；举行后标记为已举行"
        case .held: "文字实录、媒体报道、效果评估、简报存档"
        case .closed, .released, .rejected, .withdrawn, .cancelled: "—"
        }
    }
}

// MARK: 发布活动 (list and the create form)

/// The fields of the create and edit forms (`activity-fields.leaf` reads `body.fields`).
struct ActivityFields: Encodable {
    var agencyId: String = ""
    var title: String = ""
    var form: String = ReleaseForm.pressConference.rawValue
    var category: String = ContentCategory.governmentAffairs.rawValue
    var conferenceClass: String = ConferenceClass.routine.rawValue
    var organiser: String = OrganiserLevel.selfHeld.rawValue
    var level: String = ConferenceLevel.newsOffice.rawValue
    var major: Bool = false
    var startsAt: String = ""
    var venue: String = ""
    var media: String = ""
    var summary: String = ""
    var series: Bool = false
    /// Shown when the agency select is part of the form (create only).
    var withAgency: Bool = true
    var agencies: [ChoiceOption] = []
    var venueHint: String = "留空则为本辖区新闻发布中心"
    var errors: [String: String] = [:]
    var forms = ChoiceOption.all(ReleaseForm.self, label: \.label)
    var categories = ChoiceOption.all(ContentCategory.self, label: \.label)
    var classes = ChoiceOption.all(ConferenceClass.self, label: \.label)
    var organisers = ChoiceOption.all(OrganiserLevel.self, label: \.label)
    var levels = ChoiceOption.all(ConferenceLevel.self, label: \.label)
}

struct ActivityListView: Encodable {
    var rows: [ActivityRow]
    var stage: String
    var stages: [ChoiceOption]
    var canCreate: Bool
    var fields: ActivityFields
}

struct InboxView: Encodable {
    var rows: [ActivityRow]
    var overdue: Int
}

// MARK: 发布日历

struct ActivityCalendarView: Encodable {
    struct Entry: Encodable {
        var id: UUID
        var time: String
        var title: String
        var formLabel: String
        var agencyName: String
        var stageLabel: String
        var venue: String
        var scheduled: Bool
        var conference: Bool
        /// 「第2场」 for a sitting of a series, else empty.
        var sitting: String
    }
    struct Day: Encodable {
        var date: String
        var weekday: String
        var today: Bool
        var past: Bool
        var entries: [Entry]
    }
    var month: String
    var monthTitle: String
    var prevMonth: String
    var nextMonth: String
    var days: [Day]
    var total: Int
}

// MARK: one record

struct DeadlineRow: Encodable {
    var label: String
    var round: Int
    var dueDay: String
    var stateLabel: String
    var css: String
    var overdue: Bool
    var certain: Bool
    var source: String
    var summary: String
    var explanation: [String]

    init(_ d: DeadlineDTO) {
        label = d.label
        round = d.round
        dueDay = CivilDate(d.dueDay).map { "\(d.dueDay)（\($0.weekdayName)）" } ?? d.dueDay
        overdue = d.overdue
        (stateLabel, css) = switch d.state {
        case "met": ("已完成", "met")
        case "cancelled": ("已取消", "cancelled")
        default: d.overdue ? ("逾期", "overdue") : ("进行中", "open")
        }
        certain = d.certain
        source = d.source
        summary = d.explanation.first ?? ""
        explanation = Array(d.explanation.dropFirst())
    }
}

struct LabelledText: Encodable {
    var label: String
    var text: String
}

struct DecisionRow: Encodable {
    var kindLabel: String
    var stageLabel: String
    var outcomeLabel: String
    var positive: Bool
    var offices: String
    var comment: String
    var documentComments: [LabelledText]
    var reviewer: String
    var decidedAt: String
    /// Neither a comment nor a per-document comment was given.
    var silent: Bool

    init(_ d: DecisionDTO) {
        kindLabel = d.kindLabel
        stageLabel = d.kind == DecisionKind.approval.rawValue ? "第\(d.stage + 1)级" : ""
        outcomeLabel = d.outcomeLabel
        positive = ["approved", "passed"].contains(d.outcome)
        offices = d.offices.joined(separator: "、")
        comment = d.comment
        documentComments = d.documentComments.sorted { $0.key < $1.key }
            .map { LabelledText(label: ConferenceDocument(rawValue: $0.key)?.label ?? $0.key, text: $0.value) }
        reviewer = d.reviewer
        decidedAt = HourClock.wallTime(d.decidedAt)
        silent = comment.isEmpty && documentComments.isEmpty
    }
}

struct DecisionRound: Encodable {
    var round: Int
    var current: Bool
    var decisions: [DecisionRow]
}

struct DocumentRow: Encodable {
    var id: UUID
    var kindLabel: String
    var filename: String
    var size: String
    var isPublic: Bool
    var round: Int
    var late: Bool
    var uploadedAt: String
    var sha256: String

    init(_ d: DocumentDTO) {
        id = d.id
        kindLabel = d.kindLabel
        filename = d.filename
        size = d.size >= 1_048_576 ? String(format: "%.1f MB", Double(d.size) / 1_048_576)
            : d.size >= 1024 ? "\(d.size / 1024) KB" : "\(d.size) 字节"
        isPublic = d.isPublic
        round = d.round
        late = d.late
        uploadedAt = HourClock.wallTime(d.uploadedAt)
        sha256 = String(d.sha256.prefix(12))
    }
}

struct SegmentRow: Encodable {
    var kindLabel: String
    var title: String
    var speaker: String
    var agencyName: String
    var minutes: Int
}

struct SittingRow: Encodable {
    var number: Int
    var startsAt: String
    var venue: String
    var held: Bool
    var canHold: Bool
}

struct TranscriptRow: Encodable {
    var sitting: String
    var speaker: String
    var text: String
}

struct EventRow: Encodable {
    var at: String
    var actor: String
    var actionLabel: String
    /// 「草稿 → 待本单位审签」 when the step moved the stage, else empty.
    var stageChange: String
    var note: String

    init(_ e: EventDTO) {
        at = HourClock.wallTime(e.at)
        actor = e.actor
        actionLabel = e.actionLabel
        let from = ActivityStage(rawValue: e.stageFrom)?.label ?? e.stageFrom
        stageChange = e.stageFrom == e.stageTo ? "" : "\(from) → \(e.stageToLabel)"
        note = e.note
    }
}

/// The moments of the record, formatted.
struct RecordTimes: Encodable {
    var submittedAt: String = ""
    var previewPublishedAt: String = ""
    var heldAt: String = ""
    var releasedAt: String = ""
    var closedAt: String = ""
}

// MARK: the record's forms

/// One action form of the record page: whether it is shown, open, and (after a refusal) the
/// messages of its fields; `other` lists the messages of fields the form has no input for.
struct ActionForm<Values: Encodable>: Encodable {
    var show: Bool
    var open: Bool
    var errors: [String: String]
    var other: [String]
    var values: Values

    init(show: Bool, open: Bool = false, values: Values) {
        self.show = show
        self.open = open
        errors = [:]
        other = []
        self.values = values
    }

    /// Puts the refusal's field messages next to the inputs named in `fields`.
    mutating func fail(_ error: DomainError, fields: Set<String>) {
        show = true
        open = true
        for (key, message) in error.fields.sorted(by: { $0.key < $1.key }) {
            if fields.contains(key) { errors[key] = message } else { other.append(message) }
        }
    }
}

struct NoValues: Encodable {}

struct UrgentValues: Encodable {
    var urgent = false
    var urgentReason = ""
    /// What the rules ask of a submission (documents, lead time), with citations.
    var hints: [String] = []
}

struct DecisionValues: Encodable {
    var decision = ""
    var comment = ""
    /// One row per application document kind (per-document comments of a review).
    var documents: [DocumentComment] = []
    /// Sign-off and approval: 同意/退回; review also 不予通过.
    var choices: [ChoiceOption] = []
}

struct DocumentComment: Encodable {
    var kind: String
    var label: String
    var text: String
}

struct AssessmentValues: Encodable {
    var kind = DecisionKind.confidentiality.rawValue
    var outcome = "passed"
    var reviewer = ""
    var comment = ""
    var kinds: [ChoiceOption] = []
}

struct ParticipantFormRow: Encodable {
    var index: Int
    var role = ""
    var personId = ""
    var name = ""
    var title = ""
    var office = ""
    /// "" follows the role (a guest sits in the hall), "yes" or "no".
    var podium = ""
}

struct ParticipantValues: Encodable {
    var rows: [ParticipantFormRow] = []
    var roles = ChoiceOption.all(ParticipantRole.self, label: \.label)
    var people: [ChoiceOption] = []
    var offices = ChoiceOption.all(Official.self, label: \.label)
}

struct SegmentFormRow: Encodable {
    var index: Int
    var kind = ""
    var title = ""
    var speaker = ""
    var agencyId = ""
    var minutes = ""
}

struct ProgrammeValues: Encodable {
    var rows: [SegmentFormRow] = []
    var kinds = ChoiceOption.all(SegmentKind.self, label: \.label)
    var agencies: [ChoiceOption] = []
}

struct UploadValues: Encodable {
    var kind = ""
    var isPublic = false
    var kinds: [ChoiceOption] = []
    var maxMB = 20
}

struct ChangeValues: Encodable {
    var startsAt = ""
    var venue = ""
    var title = ""
    var summary = ""
    var reason = ""
}

struct LinkValues: Encodable { var url = "" }

struct TranscriptFormRow: Encodable {
    var index: Int
    var speaker = ""
    var text = ""
}

struct TranscriptValues: Encodable {
    var sitting = ""
    var sittings: [ChoiceOption] = []
    var rows: [TranscriptFormRow] = []
}

struct CoverageValues: Encodable {
    var outlet = ""
    var title = ""
    var url = ""
    var publishedOn = ""
}

struct TextValues: Encodable {
    var text = ""
    /// The brief report may be left empty where the profile asks for none.
    var required = true
}

struct WithdrawValues: Encodable {
    var reason = ""
    /// 撤回 before approval, 取消 after it.
    var verb = "撤回"
}

struct SittingValues: Encodable {
    var startsAt = ""
    var venue = ""
}

/// Every action form of the record page.
struct RecordForms: Encodable {
    var submit: ActionForm<UrgentValues>
    var signOff: ActionForm<DecisionValues>
    var review: ActionForm<DecisionValues>
    var approval: ActionForm<DecisionValues>
    var assess: ActionForm<AssessmentValues>
    var participants: ActionForm<ParticipantValues>
    var programme: ActionForm<ProgrammeValues>
    var upload: ActionForm<UploadValues>
    var schedule: ActionForm<NoValues>
    var preview: ActionForm<LinkValues>
    var change: ActionForm<ChangeValues>
    var hold: ActionForm<LinkValues>
    var release: ActionForm<NoValues>
    var transcript: ActionForm<TranscriptValues>
    var coverage: ActionForm<CoverageValues>
    var evaluation: ActionForm<TextValues>
    var brief: ActionForm<TextValues>
    var withdraw: ActionForm<WithdrawValues>
    var sitting: ActionForm<SittingValues>
    /// The edit form's state; its values are the page's `fields`.
    var edit: ActionForm<NoValues>

    /// How many forms are shown: the page says so when there is nothing to do.
    var shown: Int {
        [submit.show, signOff.show, review.show, approval.show, assess.show, participants.show, programme.show, upload.show,
         schedule.show, preview.show, change.show, hold.show, release.show, transcript.show, coverage.show, evaluation.show,
         brief.show, withdraw.show, sitting.show, edit.show].filter { $0 }.count
    }
}

struct ActivityRecordView: Encodable {
    var a: ActivityDTO
    var times: RecordTimes
    var agencies: String
    var approvalPosition: String
    var isConference: Bool
    var deadlines: [DeadlineRow]
    var blockers: [String]
    var rounds: [DecisionRound]
    var participants: [ParticipantDTO]
    var segments: [SegmentRow]
    var totalMinutes: Int
    var documents: [DocumentRow]
    var lateDocuments: Int
    var sittings: [SittingRow]
    var transcript: [TranscriptRow]
    var timeline: [EventRow]
    var forms: RecordForms
    var actionCount: Int
    /// The edit form (`activity-fields.leaf`).
    var fields: ActivityFields
}
