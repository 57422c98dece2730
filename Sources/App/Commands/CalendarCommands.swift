import Core
import Fluent
import Vapor

/// `fabu calendar export|add-working-days|import|check`.
struct CalendarCommand: AsyncCommandGroup {
    var help: String { "The working-day calendar (State Council holiday notices, 调休, local adjustments)" }
    var commands: [String: any AnyAsyncCommand] {
        ["export": CalendarExportCommand(), "add-working-days": AddWorkingDaysCommand(),
         "import": CalendarImportCommand(), "check": CalendarCheckCommand()]
    }

    static func service(_ app: Application) async throws -> CalendarService {
        try await app.autoMigrate()
        return CalendarService(db: app.db, app: app, audit: .system("cli", now: app.clock.now()))
    }

    static func jurisdiction(_ id: String?, _ app: Application) async throws -> String? {
        guard let id else { return nil }
        guard try await JurisdictionModel.find(id, on: app.db) != nil else { throw DomainError.notFound("辖区 \(id)") }
        return id
    }

    /// Reads a file named on the command line.
    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DomainError(.badRequest, code: "file_unreadable", message: "无法读取文件 \(path)。")
        }
        return data
    }
}

struct CalendarExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "First day (YYYY-MM-DD)") var from: String?
        @Option(name: "to", help: "Last day (YYYY-MM-DD)") var to: String?
        @Option(name: "jurisdiction", short: "j", help: "Include this jurisdiction's local adjustments") var jurisdiction: String?
    }
    var help: String { "Print the calendar as CSV: date,workday,kind,name,certain" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let from = try WorkingCalendar.date(signature.from ?? "2004-01-01", field: "from", label: "--from")
        let to = try WorkingCalendar.date(signature.to ?? "\(CivilDate(app.clock.now()).year)-12-31", field: "to", label: "--to")
        guard from <= to else { throw DomainError.field("to", label: "--to", "不能早于 --from") }
        let cal = try await CalendarCommand.service(app).calendar(jurisdiction: CalendarCommand.jurisdiction(signature.jurisdiction, app))
        var out = WorkingCalendar.csvHeader + "\n"
        for day in cal.days(from: from, to: to) { out += cal.csvLine(day) + "\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

struct AddWorkingDaysCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "date", help: "Start day (YYYY-MM-DD); not itself counted") var date: String
        @Argument(name: "days", help: "Working days to add (negative counts back)") var days: String
        @Option(name: "jurisdiction", short: "j", help: "Use this jurisdiction's local adjustments") var jurisdiction: String?
    }
    var help: String { "Print the date N working days after DATE, then how it was counted" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let start = try WorkingCalendar.date(signature.date, field: "date", label: "date")
        let n = try WorkingCalendar.count(signature.days, field: "days", label: "days")
        let cal = try await CalendarCommand.service(app).calendar(jurisdiction: CalendarCommand.jurisdiction(signature.jurisdiction, app))
        let r = cal.explainAddingWorkingDays(start, n)
        var lines = ["\(r.date) \(r.date.weekdayName)\(r.certain ? "" : " 待定")", r.summary]
        lines += r.explanation.map { "  \($0)" }
        print(lines.joined(separator: "\n"))
    }
}

struct CalendarImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A year's notice as JSON (format: docs/operator-guide.md)") var file: String
    }
    var help: String { "Load (or replace) one year's holiday notice" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data = try CalendarCommand.read(signature.file)
        let name = (signature.file as NSString).lastPathComponent
        let (notice, replaced) = try await CalendarCommand.service(context.application).importNotice(data, file: name)
        let days = notice.holidays.reduce(0) { $0 + $1.to.dayNumber - $1.from.dayNumber + 1 }
        context.console.print("已载入 \(notice.year) 年放假安排（\(notice.number)）：\(notice.holidays.count) 个假期共 \(days) 天，\(notice.workdays.count) 个调休上班日。"
            + (replaced.map { "替换了原有的 \($0)。" } ?? ""))
    }
}

struct CalendarCheckCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "List the loaded years and warn about missing ones" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let status = try await CalendarCommand.service(context.application).status()
        let years = status.years.map(\.year)
        guard let first = years.first, let last = years.last else {
            context.console.print("没有载入任何放假安排：所有期限都按星期一至星期五推算并标为待定。")
            return
        }
        let gaps = (first...last).filter { !status.loadedYears.contains($0) }
        context.console.print("已载入 \(years.count) 个年份：\(first)–\(last)" + (gaps.isEmpty ? "，没有缺年。" : "，缺 \(gaps.map(String.init).joined(separator: "、")) 年。"))
        for y in status.years {
            context.console.print("  \(y.year)  \(y.number)  \(y.origin)" + (y.loadedBy.map { "（\($0)）" } ?? ""))
        }
        if let warning = status.warning { context.console.warning(warning) }
    }
}

/// `fabu profiles list|show|validate`.
struct ProfilesCommand: AsyncCommandGroup {
    var help: String { "Policy profiles: each jurisdiction's rules, with citations" }
    var commands: [String: any AnyAsyncCommand] {
        ["list": ProfilesListCommand(), "show": ProfilesShowCommand(), "validate": ProfilesValidateCommand()]
    }
}

struct ProfilesListCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "List the loaded profiles" }

    func run(using context: CommandContext, signature: Signature) async throws {
        for p in context.application.profiles.values.sorted(by: { $0.id < $1.id }) {
            context.console.print("\(p.id)\t\(p.name)" + (p.extends.map { "\t继承 \($0)" } ?? "") + "\t" + p.sources.joined(separator: "；"))
        }
    }
}

struct ProfilesShowCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "id", help: "Profile id, e.g. huludao") var id: String
        @Flag(name: "json", help: "Print the resolved profile as JSON") var json: Bool
    }
    var help: String { "Print a profile's resolved rules with their citations" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let p = context.application.profiles[signature.id] else { throw DomainError.notFound("政策配置 \(signature.id)") }
        if signature.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(p) + Data("\n".utf8))
            return
        }
        var lines = ["\(p.name)（\(p.id)）" + (p.extends.map { "，继承 \($0)" } ?? ""), "依据：" + p.sources.joined(separator: "；")]
        var section = ""
        for rule in p.rules {
            if rule.section != section {
                section = rule.section
                lines.append("\n" + section)
            }
            lines.append("  \(rule.label)：\(rule.value)　〔\(rule.source)〕")
        }
        print(lines.joined(separator: "\n"))
    }
}

struct ProfilesValidateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A profile file; `extends` may name a shipped profile") var file: String
    }
    var help: String { "Check a profile file: unknown keys, missing values, wrong types, ranges" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data = try CalendarCommand.read(signature.file)
        let p = try PolicyProfiles.validate(.init(name: (signature.file as NSString).lastPathComponent, data: data))
        context.console.print("\(signature.file)：有效。\(p.name)（\(p.id)）" + (p.extends.map { "，继承 \($0)" } ?? "") + "，共 \(p.rules.count) 条规则。")
    }
}
