import Core
import Fluent
import Vapor

/// `fabu generate-history --synthetic`: fills the portal with years of *synthetic* published
/// releases for every jurisdiction, to measure the portal at the size of a decade of real work
/// (docs/operator-guide.md, "Benchmark"). Rows are written directly, not through the workflow,
/// and are marked as generated in their summary: never run it on a production database.
struct GenerateHistoryCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "years", help: "How many years back (default 10)") var years: Int?
        @Option(name: "per-year", help: "Releases per jurisdiction and year (default 300)") var perYear: Int?
        @Flag(name: "synthetic", help: "Confirms that generated, fictitious releases may be published on this database")
        var synthetic: Bool
    }
    var help: String { "Generate years of synthetic published releases for benchmarks (never on a production database)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let years = signature.years ?? 10, perYear = signature.perYear ?? 300
        var problems: [String] = []
        if !signature.synthetic { problems.append("须加 --synthetic，确认可在此数据库中发布虚构的测试数据（切勿用于正式数据库）") }
        if !(1...50).contains(years) { problems.append("--years 应为1到50之间的整数") }
        if !(1...5000).contains(perYear) { problems.append("--per-year 应为1到5000之间的整数") }
        guard problems.isEmpty else { throw DomainError(.invalid, code: "validation_failed", message: problems.joined(separator: "；")) }
        let app = context.application
        try await app.autoMigrate()
        _ = try await PortalIndex.ensureCurrent(on: app.db)
        // The demo jurisdictions and accounts, when the database is new (as `serve` would).
        let password = app.settings.adminPassword ?? Tokens.random(bytes: 12)
        _ = try await DemoSeed.ensureAdmin(app: app, password: password, now: app.clock.now())
        _ = try await DemoSeed.seedIfEmpty(app: app, password: password, now: app.clock.now())
        let made = try await SyntheticHistory(now: app.clock.now(), years: years, perYear: perYear).write(on: app.db)
        context.console.print("已生成 \(made) 条虚构的发布记录（\(years) 年，每个辖区每年 \(perYear) 条）。")
    }
}

/// The generator behind `generate-history`: the same agencies, topics, forms and text on every
/// run (a seeded generator), dated back from the day it runs.
struct SyntheticHistory {
    let now: Date
    let years: Int
    let perYear: Int

    static let topics = ["优化营商环境", "城乡居民医疗保险", "秋冬季供暖保障", "中小学招生入学", "农村人居环境整治", "重大项目建设",
                         "防汛抗旱", "文化旅游发展", "就业创业扶持", "生态环境保护", "食品药品安全", "养老服务体系建设",
                         "老旧小区改造", "乡村振兴", "安全生产", "公共交通优化", "住房保障", "科技创新", "民生实事", "森林防火"]
    static let venues = ["区政府新闻发布厅", "市政府新闻发布厅", "行政中心一楼会议室", "融媒体中心演播室"]

    func write(on db: Database) async throws -> Int {
        guard let admin = try await UserModel.query(on: db).filter(\.$username == "admin").first() else { throw DomainError.notFound("管理员账号") }
        var made = 0
        for j in try await JurisdictionModel.query(on: db).sort(\.$sortOrder).all() {
            let agencies = try await AgencyModel.query(on: db).filter(\.$jurisdictionID == j.id!).sort(\.$sortOrder).all()
            guard !agencies.isEmpty else { continue }
            let total = years * perYear
            let span = Double(years) * 365 * 86_400
            // One transaction per jurisdiction: a few thousand rows at a time.
            made += try await db.transaction { tx in
                var rng = SeededRandom(seed: 2026 &+ UInt64(j.sortOrder))
                for n in 0..<total {
                    let agency = agencies[rng.next(agencies.count)]
                    let topic = Self.topics[rng.next(Self.topics.count)]
                    let at = now.addingTimeInterval(-span + span * Double(n) / Double(total) - 86_400)
                    let year = CivilDate(at).year
                    let kind = rng.next(10)
                    let form: ReleaseForm = kind < 5 ? .pressConference : kind < 8 ? .writtenRelease : .backgroundBriefing
                    let a = ReleaseActivityModel()
                    a.jurisdictionID = j.id!
                    a.agencyID = agency.id!
                    a.title = "\(agency.name)\(year)年\(topic)\(form == .writtenRelease ? "情况通报" : "新闻发布会")（第\(n + 1)期）"
                    a.summary = "介绍\(j.name)\(year)年\(topic)工作进展和下一步安排，回应社会关切。（基准测试生成的虚构数据）"
                    a.form = form.rawValue
                    a.category = rng.next(4) == 0 ? ContentCategory.policyInterpretation.rawValue : ContentCategory.governmentAffairs.rawValue
                    a.conferenceClass = form == .writtenRelease ? nil : ConferenceClass.thematic.rawValue
                    a.organiser = OrganiserLevel.ownNewsOffice.rawValue
                    a.level = ConferenceLevel.newsOffice.rawValue
                    a.major = false
                    a.startsAt = at
                    a.venue = form == .writtenRelease ? "" : Self.venues[rng.next(Self.venues.count)]
                    a.media = "本地主要媒体"
                    a.stage = (form == .writtenRelease ? ActivityStage.released : .closed).rawValue
                    a.round = 1
                    a.approvalStage = 0
                    a.series = false
                    a.videoURL = form == .writtenRelease ? nil : "https://video.example.gov.cn/\(j.id!)/\(n + 1)"
                    if form == .writtenRelease { a.releasedAt = at } else { a.heldAt = at.addingTimeInterval(3600); a.closedAt = a.heldAt }
                    a.createdBy = admin.id!
                    try await a.create(on: tx)
                    if form != .writtenRelease {
                        var people = [("mainSpeaker", "王\(n % 97)", "\(agency.name)新闻发言人"), ("host", "李\(n % 89)", "\(j.name)新闻办副主任")]
                        if rng.next(6) == 0 { people.append(("expert", "赵\(n % 83)", "某大学教授")) }
                        for (i, p) in people.enumerated() {
                            let row = ActivityParticipantModel()
                            row.activityID = a.id!
                            row.position = i
                            row.role = p.0
                            row.name = p.1
                            row.title = p.2
                            row.offices = ""
                            row.onPodium = true
                            try await row.create(on: tx)
                        }
                        for i in 0..<8 {
                            let t = ActivityTranscriptModel()
                            t.activityID = a.id!
                            t.position = i
                            t.speaker = i % 2 == 0 ? people[0].1 : "记者"
                            t.text = i % 2 == 0
                                ? "关于\(topic)，今年以来我们重点做了三方面工作：一是完善制度，二是加大投入，三是强化督查。下一步将继续抓好落实，确保各项措施见到实效。"
                                : "请问\(topic)方面群众最关心的问题有哪些，下一步有什么具体安排？"
                            try await t.create(on: tx)
                        }
                    }
                    try await PortalIndex.refresh(a, on: tx)
                }
                return total
            }
        }
        try await AuditLog.append(on: db, .system("cli", now: now), action: "portal.generate-history", entityType: "system", entityID: "portal",
                                  before: Optional<String>.none, after: ["records": String(made), "years": String(years)])
        return made
    }
}

/// A small deterministic generator (a linear congruence), for repeatable synthetic data.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
}
