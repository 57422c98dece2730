import Foundation
import Logging

/// Logs as Vapor's console logger does (`[ WARNING ] message`), but to standard error, so a
/// command's standard output stays clean (`fabu calendar export > calendar.csv`).
public struct StandardErrorLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = all.isEmpty ? "" : " [" + all.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
        FileHandle.standardError.write(Data("[ \(event.level.rawValue.uppercased()) ] \(event.message)\(meta)\n".utf8))
    }
}
