import Foundation

/// Password and login-lockout rules (issue #2: ≥12 characters; 5 failures lock for 15 minutes).
public enum Credentials {
    public static let minimumPasswordLength = 12
    public static let maxFailures = 5
    public static let lockout: TimeInterval = 15 * 60
    /// Web sessions end after this much inactivity.
    public static let sessionIdle: TimeInterval = 30 * 60

    public static func checkPassword(_ password: String, field: String = "password") throws(DomainError) {
        if password.count < minimumPasswordLength {
            throw DomainError.field(field, label: "密码", "长度至少\(minimumPasswordLength)个字符", code: "weak_password")
        }
        if password.count > 128 {
            throw DomainError.field(field, label: "密码", "长度不能超过128个字符", code: "weak_password")
        }
    }

    /// The lock state after one more failed login at `now`.
    public static func afterFailure(failures: Int, now: Date) -> (failures: Int, lockedUntil: Date?) {
        let n = failures + 1
        return n >= maxFailures ? (0, now.addingTimeInterval(lockout)) : (n, nil)
    }

    public static func isLocked(until: Date?, now: Date) -> Bool {
        until.map { now < $0 } ?? false
    }

    public static func lockedMessage(until: Date) -> String {
        let f = DateFormatter()
        f.timeZone = .shanghai
        f.dateFormat = "HH:mm"
        return "登录失败次数过多，账号已锁定至 \(f.string(from: until))（15分钟）。"
    }
}
