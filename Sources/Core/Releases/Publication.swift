import Foundation

/// What the public portal may show of an activity (SPEC §11). Nothing reaches the public before
/// it is approved, has passed its confidentiality review and is due to publish: the stages that
/// answer `true` here can only be reached through those steps (scheduling needs the review;
/// releasing needs it too). Decisions, comments, review notes and non-public documents are
/// never public, whatever the stage.
public enum Publication {
    /// A 发布预告: scheduled, and its preview published.
    public static func isPreview(stage: ActivityStage, previewPublishedAt: Date?) -> Bool {
        stage == .scheduled && previewPublishedAt != nil
    }

    /// A record (发布实录): a conference that was held, or a released activity.
    public static func isRecord(stage: ActivityStage) -> Bool {
        [.held, .closed, .released].contains(stage)
    }

    /// Either of the two.
    public static func isPublic(stage: ActivityStage, previewPublishedAt: Date?) -> Bool {
        isPreview(stage: stage, previewPublishedAt: previewPublishedAt) || isRecord(stage: stage)
    }

    /// The stages a public query may ever return.
    public static let publicStages: [ActivityStage] = [.scheduled, .held, .closed, .released]
}
