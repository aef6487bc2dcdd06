namespace Campaigns.Api.Idempotency;

/// <summary>Whose idempotency keys these are: keys of different callers never collide.</summary>
public static class CallerScope
{
    public const string ItemKey = "campaigns.caller";

    /// <summary>The authenticated caller's identity when there is one, else one shared scope.</summary>
    public static string Of(HttpContext context) => Identified(context) ?? "default";

    /// <summary>The caller named by a valid key, or null (no key, a wrong one, or authentication disabled).</summary>
    public static string? Identified(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var caller) && caller is string id ? id : null;
}
