namespace Campaigns.Core.Domain;

/// <summary>How a message's text was written when its campaign asks for AI personalization (issue #16).</summary>
public static class MessagePersonalization
{
    /// <summary>Written by the language model.</summary>
    public const string Ai = "ai";
    /// <summary>The model failed or broke a rule: the plain rendering was sent.</summary>
    public const string Fallback = "fallback";

    public static readonly IReadOnlyList<string> All = [Ai, Fallback];
}
