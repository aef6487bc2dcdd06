using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.ApiBehaviour;

/// <summary>Answers carry text as itself, emoji included, and still escape what HTML embedding needs.</summary>
public sealed class ReadableJsonTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Non_ascii_text_is_written_as_itself()
    {
        const string name = "Habari 👋 مرحبا Ωmega";

        var response = (await _api.PostJsonAsync("/campaigns", new { name, channel = "whatsapp", base_template = "Hi {first_name} 🎉" }, Ct))
            .Expect(HttpStatusCode.Created);

        Assert.Contains("\"name\":\"Habari 👋 مرحبا Ωmega\"", response.Text);
        Assert.Contains("\"base_template\":\"Hi {first_name} 🎉\"", response.Text);
        Assert.DoesNotContain("\\u", response.Text);
    }

    [Fact]
    public async Task Characters_unsafe_in_html_are_still_escaped()
    {
        var response = (await _api.PostJsonAsync("/campaigns", new { name = "<script>&'\"+", channel = "sms", base_template = "Hi" }, Ct))
            .Expect(HttpStatusCode.Created);

        Assert.Contains("\"name\":\"\\u003Cscript\\u003E\\u0026\\u0027\\u0022\\u002B\"", response.Text);
        Assert.Equal("<script>&'\"+", response.Json["name"]!.GetValue<string>());
    }
}
