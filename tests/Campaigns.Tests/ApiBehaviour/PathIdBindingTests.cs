using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.ApiBehaviour;

/// <summary>A path id that is not a positive 64-bit integer is the same 400 on every route that takes one.</summary>
public sealed class PathIdBindingTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] BadIds = ["abc", "0", "-1", "1.5", "99999999999999999999"];

    // method, path with {x} for the bad id, the field named, a valid body where the route takes one
    private static readonly (string Method, string Path, string Field, string? Body)[] Routes =
    [
        ("GET", "/campaigns/{x}", "id", null),
        ("PATCH", "/campaigns/{x}", "id", """{"name":"x"}"""),
        ("DELETE", "/campaigns/{x}", "id", null),
        ("POST", "/campaigns/{x}/send", "id", """{"customer_ids":[1]}"""),
        ("POST", "/campaigns/{x}/personalized-preview", "id", """{"customer_id":1}"""),
        ("POST", "/campaigns/{x}/pause", "id", null),
        ("POST", "/campaigns/{x}/resume", "id", null),
        ("POST", "/campaigns/{x}/cancel", "id", null),
        ("POST", "/campaigns/{x}/retry-failed", "id", null),
        ("GET", "/campaigns/{x}/messages", "id", null),
        ("GET", "/campaigns/{x}/messages/1", "id", null),
        ("GET", "/campaigns/1/messages/{x}", "message_id", null),
        ("GET", "/customers/{x}", "id", null),
        ("PATCH", "/customers/{x}", "id", """{"first_name":"x"}"""),
        ("DELETE", "/customers/{x}", "id", null),
    ];

    public static TheoryData<string, string, string, string?> Cases()
    {
        var cases = new TheoryData<string, string, string, string?>();
        foreach (var (method, path, field, body) in Routes)
        {
            cases.Add(method, path, field, body);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_path_id_that_is_not_a_positive_integer_is_a_validation_error_naming_it(
        string method, string path, string field, string? body)
    {
        foreach (var bad in BadIds)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{x}", Uri.EscapeDataString(bad)));
            if (body is not null)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            }

            var response = (await _api.SendRawAsync(request, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

            var message = $"{field} must be a positive integer";
            Assert.Equal(message, response.Json["error"]!["message"]!.GetValue<string>());
            var errors = response.Json["errors"]!.AsObject();
            Assert.Equal([field], errors.Select(e => e.Key));
            Assert.Equal([message], errors[field]!.AsArray().Select(m => m!.GetValue<string>()));
        }
    }
}
