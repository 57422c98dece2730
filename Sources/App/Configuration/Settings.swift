import Foundation

/// Every setting of the platform, read once from the environment (README: 配置).
public struct Settings: Sendable, Equatable {
    public enum Database: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        case postgres(url: String)
    }

    public var database: Database
    public var dataDirectory: String
    /// The initial password of `admin`, used only when that account is first created.
    public var adminPassword: String?
    /// Whether cookies carry `Secure` (set behind HTTPS).
    public var secureCookies: Bool
    /// A directory of extra policy-profile files (`FABU_PROFILES_DIR`): new jurisdictions, or
    /// local versions of the shipped four.
    public var profilesDirectory: String?
    /// The largest document accepted (`FABU_MAX_UPLOAD_MB`, default 20).
    public var maxUploadBytes: Int

    /// Seconds between two sweeps of the deadline scheduler (`FABU_SCHEDULER_SECONDS`, default
    /// 30; 0 turns it off, e.g. on an instance that only serves pages).
    public var schedulerSeconds: Int

    /// The portal's address as the public sees it, for feeds and the sitemap (`FABU_PUBLIC_URL`;
    /// never taken from the request's Host header, which a client controls).
    public var publicURL: String
    /// Behind a load balancer (`FABU_TRUST_FORWARDED_FOR=true`): the sender's address is the
    /// last one the balancer appended to `X-Forwarded-For`, not the balancer's own.
    public var trustForwardedFor: Bool

    /// Uploaded documents: under the data directory, outside any served path.
    public var attachmentsDirectory: String { dataDirectory + "/attachments" }

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let problems: [String]
        public var description: String { "配置错误 (configuration error):\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
    }

    public init(database: Database, dataDirectory: String, adminPassword: String? = nil, secureCookies: Bool = false,
                profilesDirectory: String? = nil, maxUploadBytes: Int = 20 * 1_048_576, schedulerSeconds: Int = 30,
                publicURL: String = "http://127.0.0.1:8080", trustForwardedFor: Bool = false) {
        self.publicURL = publicURL
        self.trustForwardedFor = trustForwardedFor
        self.schedulerSeconds = schedulerSeconds
        self.profilesDirectory = profilesDirectory
        self.maxUploadBytes = maxUploadBytes
        self.database = database
        self.dataDirectory = dataDirectory
        self.adminPassword = adminPassword
        self.secureCookies = secureCookies
    }

    /// Reads `FABU_*` variables; every bad one is named in the error, not just the first.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        var problems: [String] = []
        let dataDir = env["FABU_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./fabu-data"
        var database = Database.sqliteFile(path: dataDir + "/fabu.sqlite")
        if let url = env["FABU_DATABASE_URL"], !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                if URL(string: url)?.host == nil {
                    problems.append("FABU_DATABASE_URL: 无法解析 PostgreSQL 地址（应为 postgres://用户:密码@主机:端口/数据库）")
                }
                database = .postgres(url: url)
            } else if url.hasPrefix("sqlite://") {
                let path = String(url.dropFirst("sqlite://".count))
                database = path == ":memory:" ? .sqliteMemory : .sqliteFile(path: path)
                if path.isEmpty { problems.append("FABU_DATABASE_URL: sqlite:// 后应给出文件路径") }
            } else {
                problems.append("FABU_DATABASE_URL: 应以 postgres:// 或 sqlite:// 开头（留空则使用 FABU_DATA_DIR 下的 SQLite 文件）")
            }
        }
        var admin: String?
        if let pw = env["FABU_ADMIN_PASSWORD"], !pw.isEmpty {
            if pw.count < 12 { problems.append("FABU_ADMIN_PASSWORD: 密码长度至少12个字符") }
            admin = pw
        }
        /// A yes/no variable: true/false, 1/0, yes/no; absent or empty is false.
        func flag(_ name: String) -> Bool {
            switch env[name]?.lowercased() ?? "" {
            case "1", "true", "yes": return true
            case "", "0", "false", "no": return false
            default: problems.append("\(name): 应为 true 或 false"); return false
            }
        }
        let secure = flag("FABU_SECURE_COOKIES")
        let profilesDir = env["FABU_PROFILES_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        if let dir = profilesDir {
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) || !isDir.boolValue {
                problems.append("FABU_PROFILES_DIR: 目录 \(dir) 不存在")
            }
        }
        var maxUpload = 20
        if let raw = env["FABU_MAX_UPLOAD_MB"], !raw.isEmpty {
            if let n = Int(raw), (1...200).contains(n) { maxUpload = n } else { problems.append("FABU_MAX_UPLOAD_MB: 应为1到200之间的整数（兆字节）") }
        }
        var scheduler = 30
        if let raw = env["FABU_SCHEDULER_SECONDS"], !raw.isEmpty {
            if let n = Int(raw), (0...3600).contains(n) { scheduler = n } else { problems.append("FABU_SCHEDULER_SECONDS: 应为0到3600之间的整数（秒；0 表示本实例不运行期限调度）") }
        }
        var publicURL = "http://127.0.0.1:8080"
        if let raw = env["FABU_PUBLIC_URL"], !raw.isEmpty {
            let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            if let u = URL(string: trimmed), ["http", "https"].contains(u.scheme ?? ""), u.host != nil { publicURL = trimmed }
            else { problems.append("FABU_PUBLIC_URL: 应为门户的公开网址，如 https://www.example.gov.cn") }
        }
        let forwarded = flag("FABU_TRUST_FORWARDED_FOR")
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        return Settings(database: database, dataDirectory: dataDir, adminPassword: admin, secureCookies: secure,
                        profilesDirectory: profilesDir, maxUploadBytes: maxUpload * 1_048_576,
                        schedulerSeconds: scheduler, publicURL: publicURL, trustForwardedFor: forwarded)
    }
}
