namespace Campaigns.ProviderSimulator.Options;

/// <summary>Configuration and control values in snake case (<c>rate_limited</c>) as enum members (<c>RateLimited</c>).</summary>
public static class ConfigNames
{
    public static bool TryParse<TEnum>(string? value, out TEnum parsed) where TEnum : struct, Enum
    {
        parsed = default;
        return value is { Length: > 0 }
            && value.All(c => char.IsAsciiLetter(c) || c == '_')
            && Enum.TryParse(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out parsed)
            && Enum.IsDefined(parsed);
    }

    /// <summary>The snake-case name of a member: <c>RateLimited</c> → <c>rate_limited</c>.</summary>
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
