using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KeyScopeUsageDays",
                columns: table => new
                {
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Calls = table.Column<int>(type: "INTEGER", nullable: false),
                    LastAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeyScopeUsageDays", x => new { x.KeyId, x.Scope, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "KeyUsageDays",
                columns: table => new
                {
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Issued = table.Column<int>(type: "INTEGER", nullable: false),
                    ApiCalls = table.Column<int>(type: "INTEGER", nullable: false),
                    RefusedSecret = table.Column<int>(type: "INTEGER", nullable: false),
                    RefusedRevoked = table.Column<int>(type: "INTEGER", nullable: false),
                    RefusedExpired = table.Column<int>(type: "INTEGER", nullable: false),
                    RefusedCreator = table.Column<int>(type: "INTEGER", nullable: false),
                    RefusedScope = table.Column<int>(type: "INTEGER", nullable: false),
                    RefusedRateLimited = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeyUsageDays", x => new { x.KeyId, x.Day });
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_ExpiresAt_KeyId",
                table: "ApiKeys",
                columns: new[] { "ExpiresAt", "KeyId" });

            migrationBuilder.CreateIndex(
                name: "IX_KeyScopeUsageDays_Day",
                table: "KeyScopeUsageDays",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_KeyUsageDays_Day",
                table: "KeyUsageDays",
                column: "Day");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KeyScopeUsageDays");

            migrationBuilder.DropTable(
                name: "KeyUsageDays");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_ExpiresAt_KeyId",
                table: "ApiKeys");
        }
    }
}
