using Campaigns.Core.Personalization;

namespace Campaigns.Tests.Personalization;

/// <summary>The rules a model's text must keep (api.md Part 2, "Personalization"), and the connection string's form; no graph.</summary>
public sealed class PersonalizationGuardrailTests
{
    private const string Plain = "Hi Amina! Shoes are 20% off. Reply STOP to opt out.";

    [Theory]
    [InlineData("Amina, your shoes are 20% off! Reply STOP to opt out.", "sms", null, null)]
    [InlineData("", "sms", null, PersonalizationFallback.Empty)]
    [InlineData(" \n ", "whatsapp", null, PersonalizationFallback.Empty)]
    [InlineData("Hi {first_name}! Reply STOP to opt out.", "sms", null, PersonalizationFallback.Placeholder)]
    [InlineData("Hi Amina, shoes are 20% off.", "sms", null, PersonalizationFallback.OptOutDropped)]
    [InlineData("Hi Amina, shoes are 20% off. reply stop to opt out.", "sms", null, PersonalizationFallback.OptOutDropped)]
    [InlineData("Amina, shoes! Reply STOP to opt out.", "sms", 30, PersonalizationFallback.TooLong)]
    [InlineData("Amina, shoes! Reply STOP to opt out.", "sms", 36, null)]
    public void A_text_is_sent_only_when_it_keeps_every_rule(string text, string channel, int? maxLength, string? broken) =>
        Assert.Equal(broken, PersonalizationGuardrails.Broken(text, Plain, channel, maxLength));

    [Fact]
    public void Sms_defaults_to_one_segment_of_the_texts_own_encoding()
    {
        Assert.True(PersonalizationGuardrails.Fits(new string('a', 160), "sms", null));
        Assert.False(PersonalizationGuardrails.Fits(new string('a', 161), "sms", null));
        // One character outside GSM-7 makes the text UCS-2: 70 units.
        Assert.True(PersonalizationGuardrails.Fits("ü" + new string('a', 69).Replace('a', 'ж'), "sms", null));
        Assert.False(PersonalizationGuardrails.Fits(new string('ж', 71), "sms", null));
        // Extension characters cost two septets.
        Assert.False(PersonalizationGuardrails.Fits(new string('€', 81), "sms", null));
    }

    [Fact]
    public void Whatsapp_counts_code_points_up_to_1000_by_default()
    {
        Assert.True(PersonalizationGuardrails.Fits(string.Concat(Enumerable.Repeat("👋", 1_000)), "whatsapp", null));
        Assert.False(PersonalizationGuardrails.Fits(string.Concat(Enumerable.Repeat("👋", 1_001)), "whatsapp", null));
        Assert.False(PersonalizationGuardrails.Fits("abcdef", "whatsapp", 5));
    }

    [Theory]
    [InlineData("Hi Amina! Shoes are 20% off. Reply STOP to opt out.", "Reply STOP to opt out.")]
    [InlineData("Big sale today!\nText STOPALL to 22345", "Text STOPALL to 22345")]
    [InlineData("Sale! To unsubscribe, reply here. Thanks", "To unsubscribe, reply here.")]
    [InlineData("Don't stop believing. Shoes are 20% off.", null)]
    [InlineData("No opt-out here at all", "No opt-out here at all")]
    [InlineData("Just a sale.", null)]
    public void The_opt_out_sentence_is_the_first_naming_an_opt_out(string text, string? sentence) =>
        Assert.Equal(sentence, OptOutSentence.Find(text));

    [Fact]
    public void The_connection_string_names_endpoint_model_provider_and_key()
    {
        Assert.Equal(new AiConnection(new Uri("http://127.0.0.1:5000/v1"), "gpt-4o-mini", "openai", "sk-1"),
            AiConnection.Parse("Endpoint=http://127.0.0.1:5000/v1;Key=sk-1;Model=gpt-4o-mini"));
        Assert.Equal(new AiConnection(new Uri("http://localhost:11434"), "llama3.2", "ollama", null),
            AiConnection.Parse("Endpoint=http://localhost:11434;Model=llama3.2;Provider=Ollama"));
        Assert.Null(AiConnection.Parse(""));
        Assert.Throws<FormatException>(() => AiConnection.Parse("Endpoint=http://localhost:11434"));
        Assert.Throws<FormatException>(() => AiConnection.Parse("Endpoint=ftp://x;Model=m"));
        Assert.Throws<FormatException>(() => AiConnection.Parse("Endpoint=http://x;Model=m;Provider=other"));
    }
}
