using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;
using static Campaigns.Tests.CustomerEndpoints.CustomerCalls;

namespace Campaigns.Tests.CustomerEndpoints;

public sealed class CustomerCrudTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_answers_201_with_location_and_the_stored_customer_byte_for_byte()
    {
        var phone = Unique.KenyanPhone();
        var body = new JsonObject
        {
            ["phone"] = NationalSpaced(phone),
            ["first_name"] = "  Zoë 😀 ",
            ["last_name"] = "Ng’ang’a\t",
            ["location"] = " Nairobi",
            ["preferred_product"] = "Solar lamp – 20 W ☀",
            ["opted_out"] = true,
        };

        var response = await _api.PostJsonAsync("/customers", body.ToJsonString(), Ct);

        response.Expect(HttpStatusCode.Created);
        var customer = response.Json;
        var id = customer.Id();
        Assert.Equal($"/customers/{id}", response.Location?.OriginalString);
        Assert.Equal(phone, customer.Text("phone"));
        Assert.Equal("  Zoë 😀 ", customer.Text("first_name"));
        Assert.Equal("Ng’ang’a\t", customer.Text("last_name"));
        Assert.Equal(" Nairobi", customer.Text("location"));
        Assert.Equal("Solar lamp – 20 W ☀", customer.Text("preferred_product"));
        Assert.True(customer["opted_out"]!.GetValue<bool>());
        Assert.EndsWith("Z", customer.Text("created_at"));
        Assert.EndsWith("Z", customer.Text("updated_at"));

        var fetched = (await _api.GetJsonAsync($"/customers/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(customer.ToJsonString(), fetched.ToJsonString());
    }

    [Fact]
    public async Task Missing_fields_are_empty_strings_and_not_opted_out()
    {
        var phone = Unique.KenyanPhone();

        var customer = await _api.CreateCustomerAsync(new { phone, first_name = (string?)null }, Ct);

        Assert.Equal(["id", "phone", "first_name", "last_name", "location", "preferred_product", "opted_out", "timezone", "created_at", "updated_at", "language"],
            customer.AsObject().Select(member => member.Key));
        Assert.Equal(phone, customer.Text("phone"));
        foreach (var field in new[] { "first_name", "last_name", "location", "preferred_product" })
        {
            Assert.Equal("", customer.Text(field));
        }
        Assert.False(customer["opted_out"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_usual_ways_of_writing_a_kenyan_number_are_one_number()
    {
        // A well-known number: another test may have created it already, so a 409 for the first form is fine too.
        var first = await _api.PostJsonAsync("/customers", new { phone = "0712 345 678" }, Ct);
        if (first.Status == HttpStatusCode.Created)
        {
            Assert.Equal("+254712345678", first.Json.Text("phone"));
        }
        else
        {
            first.Expect(HttpStatusCode.Conflict, "DUPLICATE_PHONE");
        }

        foreach (var form in new[] { "712345678", "+254 712-345-678", "254712345678", "+254712345678" })
        {
            var again = await _api.PostJsonAsync("/customers", new { phone = form }, Ct);
            again.Expect(HttpStatusCode.Conflict, "DUPLICATE_PHONE");
            Assert.Contains("+254712345678", again.Json["error"]!["message"]!.GetValue<string>());
        }
        var listed = (await _api.GetJsonAsync("/customers?phone=0712345678", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("+254712345678", Assert.Single(listed["data"]!.AsArray())!.Text("phone"));
    }

    [Theory]
    [InlineData("national")]
    [InlineData("spaced")]
    [InlineData("subscriber")]
    [InlineData("dashed")]
    [InlineData("e164")]
    public async Task Each_form_is_stored_in_e164(string form)
    {
        var phone = Unique.KenyanPhone();
        var written = form switch
        {
            "national" => National(phone),
            "spaced" => NationalSpaced(phone),
            "subscriber" => Subscriber(phone),
            "dashed" => InternationalDashed(phone),
            _ => phone,
        };

        var customer = await _api.CreateCustomerAsync(new { phone = written }, Ct);

        Assert.Equal(phone, customer.Text("phone"));
    }

    [Fact]
    public async Task A_phone_taken_in_another_form_is_a_duplicate()
    {
        var phone = Unique.KenyanPhone();
        await _api.CreateCustomerAsync(new { phone = National(phone) }, Ct);

        var response = await _api.PostJsonAsync("/customers", new { phone = InternationalDashed(phone), first_name = "Other" }, Ct);

        response.Expect(HttpStatusCode.Conflict, "DUPLICATE_PHONE");
        Assert.Contains(phone, response.Json["error"]!["message"]!.GetValue<string>());
    }

    public static TheoryData<string, string> InvalidCreates => new()
    {
        { """{"first_name":"No phone"}""", "phone" },
        { """{"phone":null}""", "phone" },
        { """{"phone":"   "}""", "phone" },
        { """{"phone":"12345"}""", "phone" },
        { """{"phone":"+2547123456789"}""", "phone" },
        { """{"phone":"call 0712345678"}""", "phone" },
        { """{"phone":"0712345678 ext. 5"}""", "phone" },
        { """{"phone":"07123456ab"}""", "phone" },
        { """{"phone":"++254712345678"}""", "phone" },
        { $$"""{"phone":"{{Unique.KenyanPhone()}}","first_name":"{{new string('f', 101)}}"}""", "first_name" },
        { $$"""{"phone":"{{Unique.KenyanPhone()}}","last_name":"{{new string('l', 101)}}"}""", "last_name" },
        { $$"""{"phone":"{{Unique.KenyanPhone()}}","location":"{{new string('x', 101)}}"}""", "location" },
        { $$"""{"phone":"{{Unique.KenyanPhone()}}","preferred_product":"{{new string('p', 201)}}"}""", "preferred_product" },
        { $$"""{"phone":"{{Unique.KenyanPhone()}}","first_name":"a\u0000b"}""", "first_name" },
    };

    [Theory]
    [MemberData(nameof(InvalidCreates))]
    public async Task Create_rejects_each_broken_rule_naming_the_field(string body, string field)
    {
        var response = await _api.PostJsonAsync("/customers", body, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]![field]);
        Assert.Contains(field, response.Json["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Limits_count_code_points_and_are_inclusive()
    {
        var hundred = string.Concat(Enumerable.Repeat("😀", 100));
        var twoHundred = string.Concat(Enumerable.Repeat("😀", 200));

        var customer = await _api.CreateCustomerAsync(new
        {
            phone = Unique.KenyanPhone(),
            first_name = hundred,
            last_name = hundred,
            location = hundred,
            preferred_product = twoHundred,
        }, Ct);

        Assert.Equal(hundred, customer.Text("first_name"));
        Assert.Equal(twoHundred, customer.Text("preferred_product"));
    }

    [Theory]
    [InlineData("""{"phone": 254712345678}""")]
    [InlineData("""{"phone": "+254700000001", "first_name": 5}""")]
    [InlineData("""{"phone": "+254700000001", "opted_out": "yes"}""")]
    [InlineData("""{"phone": "+254700000001", "location": ["Nairobi"]}""")]
    [InlineData("""{"phone": """)]
    [InlineData("[]")]
    [InlineData("""{"phone": "+254700000001", "location": "\ud800x"}""")] // the serializer refuses a lone surrogate
    public async Task A_wrongly_typed_member_or_malformed_body_is_invalid_json(string body)
    {
        (await _api.PostJsonAsync("/customers", body, Ct)).Expect(HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public async Task A_path_id_that_is_not_a_positive_integer_is_a_validation_error(string id)
    {
        (await _api.GetJsonAsync($"/customers/{id}", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PatchJsonAsync($"/customers/{id}", new { first_name = "x" }, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.DeleteJsonAsync($"/customers/{id}", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task An_unknown_customer_is_404_with_its_id_in_the_message()
    {
        var response = await _api.GetJsonAsync("/customers/987654321", Ct);

        response.Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
        Assert.Equal("Customer with ID 987654321 not found", response.Json["error"]!["message"]!.GetValue<string>());
        (await _api.PatchJsonAsync("/customers/987654321", new { first_name = "x" }, Ct)).Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
        (await _api.DeleteJsonAsync("/customers/987654321", Ct)).Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
    }

    [Fact]
    public async Task Patch_changes_only_the_members_present_and_null_clears_a_text()
    {
        var created = await _api.CreateCustomerAsync(new
        {
            phone = Unique.KenyanPhone(),
            first_name = "Amina",
            last_name = "Otieno",
            location = "Nairobi",
            preferred_product = "Shoes",
        }, Ct);
        var id = created.Id();

        var patched = (await _api.PatchJsonAsync($"/customers/{id}",
            """{"first_name":" Wanjiru ","location":null,"opted_out":true}""", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(" Wanjiru ", patched.Text("first_name"));
        Assert.Equal("", patched.Text("location"));
        Assert.True(patched["opted_out"]!.GetValue<bool>());
        Assert.Equal("Otieno", patched.Text("last_name"));
        Assert.Equal("Shoes", patched.Text("preferred_product"));
        Assert.Equal(created.Text("phone"), patched.Text("phone"));
        Assert.Equal(created.Text("created_at"), patched.Text("created_at"));
        // Microsecond timestamps, and the PATCH's transaction starts after the create's committed.
        Assert.True(DateTimeOffset.Parse(patched.Text("updated_at")) > DateTimeOffset.Parse(created.Text("updated_at")),
            $"updated_at {patched.Text("updated_at")} is not later than at creation, {created.Text("updated_at")}");

        var unchanged = (await _api.PatchJsonAsync($"/customers/{id}", """{"opted_out":null}""", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.True(unchanged["opted_out"]!.GetValue<bool>());
        Assert.Equal(patched.Text("first_name"), (await _api.GetJsonAsync($"/customers/{id}", Ct)).Json.Text("first_name"));
    }

    [Fact]
    public async Task Patch_normalizes_a_new_phone_and_refuses_one_that_is_taken()
    {
        var id = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone() }, Ct)).Id();
        var newPhone = Unique.KenyanPhone();
        var taken = Unique.KenyanPhone();
        await _api.CreateCustomerAsync(new { phone = taken }, Ct);

        var moved = (await _api.PatchJsonAsync($"/customers/{id}", new { phone = NationalSpaced(newPhone) }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(newPhone, moved.Text("phone"));

        // Its own number in another form is no conflict.
        (await _api.PatchJsonAsync($"/customers/{id}", new { phone = National(newPhone) }, Ct)).Expect(HttpStatusCode.OK);

        var conflict = await _api.PatchJsonAsync($"/customers/{id}", new { phone = Subscriber(taken), first_name = "lost" }, Ct);
        conflict.Expect(HttpStatusCode.Conflict, "DUPLICATE_PHONE");
        var after = (await _api.GetJsonAsync($"/customers/{id}", Ct)).Json;
        Assert.Equal(newPhone, after.Text("phone"));
        Assert.Equal("", after.Text("first_name"));
    }

    [Theory]
    [InlineData("""{"phone":null}""", "phone")]
    [InlineData("""{"phone":""}""", "phone")]
    [InlineData("""{"phone":"12345"}""", "phone")]
    [InlineData("""{"first_name":"a\u0000"}""", "first_name")]
    [InlineData("""{"preferred_product":"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"}""", "preferred_product")]
    public async Task Patch_validates_like_create(string body, string field)
    {
        var id = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), first_name = "Kept" }, Ct)).Id();

        var response = await _api.PatchJsonAsync($"/customers/{id}", body, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]![field]);
        Assert.Equal("Kept", (await _api.GetJsonAsync($"/customers/{id}", Ct)).Json.Text("first_name"));
    }

    [Fact]
    public async Task Patch_with_a_wrongly_typed_member_is_invalid_json()
    {
        var id = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone() }, Ct)).Id();

        (await _api.PatchJsonAsync($"/customers/{id}", """{"opted_out":"no"}""", Ct)).Expect(HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    [Fact]
    public async Task Delete_removes_the_customer_and_their_messages()
    {
        var id = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone() }, Ct)).Id();
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        await fixture.Database.ExecuteAsync("""
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, status) VALUES (@campaignId, @id, 'Hi', 'cancelled')
            """, new { campaignId, id }, Ct);

        var response = await _api.DeleteJsonAsync($"/customers/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        Assert.Equal("", response.Text);
        (await _api.GetJsonAsync($"/customers/{id}", Ct)).Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
        (await _api.DeleteJsonAsync($"/customers/{id}", Ct)).Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM outbound_messages WHERE customer_id = @id", connection);
        count.Parameters.AddWithValue("id", id);
        Assert.Equal(0L, await count.ExecuteScalarAsync(Ct));
    }
}
