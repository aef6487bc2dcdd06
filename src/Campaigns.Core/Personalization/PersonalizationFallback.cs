namespace Campaigns.Core.Personalization;

/// <summary>Why a message got the plain rendering instead of the model's text: the <c>reason</c> of the fallback metric and log.</summary>
public static class PersonalizationFallback
{
    public const string Empty = "empty";
    public const string Placeholder = "placeholder";
    public const string OptOutDropped = "opt_out_dropped";
    public const string TooLong = "too_long";
    public const string Timeout = "timeout";
    public const string Error = "error";
    public const string Budget = "budget";
    public const string NotConfigured = "not_configured";
}
