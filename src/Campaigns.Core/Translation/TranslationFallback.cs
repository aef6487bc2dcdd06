namespace Campaigns.Core.Translation;

/// <summary>Why a language got the untranslated template (the <c>reason</c> tag of <c>campaigns.translation.fallbacks</c>).</summary>
public static class TranslationFallback
{
    public const string Empty = "empty";
    /// <summary>Not a template, or not the source's placeholders.</summary>
    public const string Placeholder = "placeholder";
    /// <summary>Breaks another rule of templates (length, rendered length for the channel).</summary>
    public const string Invalid = "invalid";
    public const string Timeout = "timeout";
    public const string Error = "error";
}
