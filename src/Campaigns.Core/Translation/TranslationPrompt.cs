using Microsoft.Extensions.AI;

namespace Campaigns.Core.Translation;

/// <summary>
/// What the model is asked to translate a campaign's template: the rules it must keep (every <c>{placeholder}</c> as
/// written, links unchanged) as the system message; the languages and the template as the user's.
/// </summary>
public static class TranslationPrompt
{
    /// <summary>The line naming the language asked for (the test model answers by it).</summary>
    public const string TargetLabel = "Target language: ";

    public static IReadOnlyList<ChatMessage> For(string template, string sourceLanguage, string targetLanguage) =>
    [
        new ChatMessage(ChatRole.System,
            "You translate one marketing message template. Answer with the translated template only: no quotes, no explanation.\n"
            + "Keep every {placeholder} in braces exactly as written (translate the words around them), and every link unchanged."),
        new ChatMessage(ChatRole.User,
            $"Source language: {sourceLanguage}\n{TargetLabel}{targetLanguage}\nTemplate:\n{template}"),
    ];
}
