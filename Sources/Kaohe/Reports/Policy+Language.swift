extension Policy {
    /// The policy's `language` as a report language ("zh" or "en", as `kaohe check` requires; anything else
    /// reads as Chinese).
    public var reportLanguage: Language { Language(rawValue: language) ?? .zh }
}
