namespace Campaigns.Core.Personalization;

/// <summary>A campaign's personalization <c>mode</c>.</summary>
public static class PersonalizationModes
{
    /// <summary>Each message written by the configured language model.</summary>
    public const string Ai = "ai";

    public static readonly IReadOnlyList<string> All = [Ai];
}
