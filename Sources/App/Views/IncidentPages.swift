import Core
import Foundation

// View models of the emergency-incident pages (突发事件: the board, one record, the dashboard box).
// Built before rendering from `IncidentDTO`; every flag a template tests is computed here.

/// One hour clock as the duty officer reads it. The countdown text is computed here from the
/// service's `secondsLeft`; `/js/incident-clocks.js` keeps it running between page loads with
/// the same wording, so the page is right without JavaScript as of its loading.
struct ClockRow: Encodable {
    var label: String
    /// normal, amber (an hour or less left), red (overdue), done: the class `clock-<status>`.
    var status: String
    /// Seconds left (negative when overdue) while open, for the countdown script.
    var secondsLeft: Int?
    /// 「剩余 0小时59分」「已逾期 0小时5分」「已完成（2026-11-21 14:20）」
    var text: String
    /// What the amber colour says in words (「不足1小时」), else empty: never colour alone.
    var flag: String
    var dueAt: String
    var reason: String
    var source: String
    var open: Bool

    init(_ c: IncidentClockDTO, closedAt: Date?) {
        label = c.deadline.label
        status = c.status
        secondsLeft = c.secondsLeft
        dueAt = HourClock.wallTime(c.deadline.dueAt)
        reason = c.reason
        source = c.deadline.source
        open = c.secondsLeft != nil
        let at = closedAt.map { "（\(HourClock.wallTime($0))）" } ?? ""
        if let left = c.secondsLeft {
            text = Self.countdown(left)
            flag = c.status == "amber" ? "不足1小时" : ""
        } else {
            text = switch c.deadline.state {
            case "met": "已完成\(at)"
            case "late": "已逾期完成\(at)"
            case "cancelled": "已取消\(at)"
            default: c.deadline.state
            }
            flag = ""
        }
    }

    /// 「剩余 1小时0分」, or 「已逾期 0小时1分」 from the first second past due (minutes overdue
    /// round up, so an overdue clock never reads 0分). The script uses the same rule.
    static func countdown(_ seconds: Int) -> String {
        let minutes = seconds < 0 ? (-seconds + 59) / 60 : seconds / 60
        return (seconds < 0 ? "已逾期 " : "剩余 ") + "\(minutes / 60)小时\(minutes % 60)分"
    }
}

struct IncidentReleaseRow: Encodable {
    var kindLabel: String
    var first: Bool
    var at: String
    var summary: String
    var activityId: UUID?

    init(_ r: IncidentReleaseDTO) {
        kindLabel = r.kindLabel
        first = r.kind == "first"
        at = HourClock.wallTime(r.releasedAt)
        summary = r.summary
        activityId = r.activityId
    }
}

/// A warning, and on the record the form to adjust it.
struct WarningRow: Encodable {
    var id: UUID
    var level: String
    /// blue, yellow, orange, red: a coloured edge next to the level named in words.
    var css: String
    var startsAt: String
    var area: String
    var advice: String
    var stateLabel: String
    var active: Bool
    var issuedAt: String
    var liftedAt: String
    var edit: ActionForm<WarningValues>

    init(_ w: WarningDTO, canHandle: Bool) {
        id = w.id
        level = w.level
        css = ["蓝色": "blue", "黄色": "yellow", "橙色": "orange", "红色": "red"][w.level] ?? "blue"
        startsAt = w.startsAt
        area = w.area
        advice = w.advice
        stateLabel = w.stateLabel
        active = w.state != "lifted"
        issuedAt = HourClock.wallTime(w.issuedAt)
        liftedAt = w.liftedAt.map(HourClock.wallTime) ?? ""
        edit = ActionForm(show: canHandle && active,
                          values: WarningValues(level: w.level, startsAt: w.startsAt, area: w.area, advice: w.advice))
    }
}

/// One incident on the board (and in the dashboard box).
struct IncidentCard: Encodable {
    var id: UUID
    var title: String
    var typeLabel: String
    var level: String
    var levelLabel: String
    var occurredAt: String
    var place: String
    var agencyName: String
    var releaserLabel: String
    var casualties: String
    var casualtiesConfirmed: Bool
    var closed: Bool
    var clocks: [ClockRow]
    /// The open clock with the least time left; nil when none is running.
    var urgent: ClockRow?
    var releases: [IncidentReleaseRow]
    var warnings: [WarningRow]

    init(_ i: IncidentDTO, closedAt: [UUID: Date]) {
        id = i.id
        title = i.title
        typeLabel = i.typeLabel
        level = i.level
        levelLabel = i.levelLabel
        occurredAt = i.occurredAt
        place = i.place
        agencyName = i.agencyName
        releaserLabel = i.releaserLabel
        casualties = Casualties(dead: i.dead, injured: i.injured, missing: i.missing, trapped: i.trapped).text
        casualtiesConfirmed = i.casualtiesConfirmed
        closed = i.state != "open"
        clocks = i.clocks.map { ClockRow($0, closedAt: closedAt[$0.deadline.id]) }
        urgent = clocks.filter(\.open).min { ($0.secondsLeft ?? .max) < ($1.secondsLeft ?? .max) }
        releases = i.releases.map(IncidentReleaseRow.init)
        warnings = i.warnings.map { WarningRow($0, canHandle: false) }.filter(\.active)
    }

    /// Open incidents first, the one whose clock runs out soonest on top; then the closed ones
    /// in the order given (newest first).
    static func board(_ cards: [IncidentCard]) -> [IncidentCard] {
        cards.enumerated().sorted { a, b in
            let x = (a.element.closed ? 1 : 0, a.element.urgent?.secondsLeft ?? .max, a.offset)
            let y = (b.element.closed ? 1 : 0, b.element.urgent?.secondsLeft ?? .max, b.offset)
            return x < y
        }.map(\.element)
    }
}

// MARK: the fact fields (register and update)

/// The fields of the register and update forms (`incident-fields.leaf` reads `body.fields`).
struct IncidentFields: Encodable {
    var agencyId = ""
    var title = ""
    var type = ""
    var level = IncidentLevel.general.rawValue
    var occurredAt = ""
    var place = ""
    var scene = ""
    var measures = ""
    var headquarters = ""
    var dead = "0"
    var injured = "0"
    var missing = "0"
    var trapped = "0"
    var casualtiesConfirmed = false
    var heavyCasualties = false
    var majorImpact = false
    var majorOnlineOpinion = false
    /// The register form chooses the agency; the update form names the headquarters instead.
    var withAgency = true
    var agencies: [ChoiceOption] = []
    var occurredHint = ""
    var occurredExample = ""
    var errors: [String: String] = [:]
    var types = ChoiceOption.all(IncidentType.self, label: \.label)
    var levels = ChoiceOption.all(IncidentLevel.self, label: \.label)
}

struct IncidentBoardView: Encodable {
    var cards: [IncidentCard]
    var openCount: Int
    var showClosed: Bool
    var canRegister: Bool
    var fields: IncidentFields
    var now: String
}

// MARK: one record

struct ChecklistItem: Encodable {
    var label: String
    var done: Bool
}

struct ConferenceRow: Encodable {
    var id: UUID
    var title: String
    var stage: String
    var stageLabel: String
    var startsAt: String
}

struct IncidentEventRow: Encodable {
    var at: String
    var actor: String
    var action: String
    var note: String
}

struct ReleaserValues: Encodable {
    var releaser = ""
    var reason = ""
    var choices = ChoiceOption.all(Releaser.self, label: \.label)
}

struct SummaryValues: Encodable { var summary = "" }

struct ConferenceValues: Encodable {
    var startsAt = ""
    var venue = ""
    var title = ""
    var venueHint = "留空则为本辖区新闻发布中心"
}

struct WarningValues: Encodable {
    var level = "蓝色"
    var startsAt = ""
    var area = ""
    var advice = ""
    var levels = IncidentService.warningLevels.map { ChoiceOption(value: $0, label: "\($0)预警") }
}

struct CloseValues: Encodable {
    var reason = ""
    /// A reason is required while a clock is still open.
    var reasonRequired = false
}

/// Every action form of the record page.
struct IncidentForms: Encodable {
    var facts: ActionForm<NoValues>
    var first: ActionForm<SummaryValues>
    var followUp: ActionForm<SummaryValues>
    var conference: ActionForm<ConferenceValues>
    var warning: ActionForm<WarningValues>
    var releaser: ActionForm<ReleaserValues>
    var close: ActionForm<CloseValues>
}

struct IncidentRecordView: Encodable {
    var i: IncidentDTO
    var closed: Bool
    var casualties: String
    /// 重大人员伤亡 follows from the figures (not only from the box ticked by hand).
    var heavyByFigures: Bool
    var clocks: [ClockRow]
    /// Until the first release, while the incident is open.
    var showChecklist: Bool
    var checklist: [ChecklistItem]
    var missing: [String]
    var firstReleasedAt: String
    /// The profile's releaser for this level, when it differs from the one assigned.
    var proposedReleaser: String
    var releases: [IncidentReleaseRow]
    var warnings: [WarningRow]
    var activeWarnings: Int
    var conferences: [ConferenceRow]
    /// The conference clock runs and no conference has been arranged yet.
    var conferenceDue: Bool
    var timeline: [IncidentEventRow]
    var canHandle: Bool
    var forms: IncidentForms
    /// The update form (`incident-fields.leaf`).
    var fields: IncidentFields
}
