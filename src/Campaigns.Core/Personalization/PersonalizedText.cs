using Campaigns.Core.Domain;

namespace Campaigns.Core.Personalization;

/// <summary>The text a message goes out with, and how it was written (<see cref="MessagePersonalization"/>).</summary>
/// <param name="Reason">Why it fell back (<see cref="PersonalizationFallback"/>); null for the model's text.</param>
public sealed record PersonalizedText(string Text, string Personalization, string? Reason)
{
    public static PersonalizedText Ai(string text) => new(text, MessagePersonalization.Ai, null);

    public static PersonalizedText Fallback(string plain, string reason) => new(plain, MessagePersonalization.Fallback, reason);
}
