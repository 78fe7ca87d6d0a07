using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class ScopeLastUse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KeyScopeLastUses",
                columns: table => new
                {
                    KeyId = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Scope = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LastAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeyScopeLastUses", x => new { x.KeyId, x.Scope });
                });

            migrationBuilder.CreateIndex(
                name: "IX_KeyScopeLastUses_KeyId_LastAt",
                table: "KeyScopeLastUses",
                columns: new[] { "KeyId", "LastAt" });

            // What the day rows already know, so that keys used before this version are not shown as idle.
            migrationBuilder.Sql(
                "INSERT INTO \"KeyScopeLastUses\" (\"KeyId\", \"Scope\", \"LastAt\") " +
                "SELECT \"KeyId\", \"Scope\", MAX(\"LastAt\") FROM \"KeyScopeUsageDays\" GROUP BY \"KeyId\", \"Scope\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KeyScopeLastUses");
        }
    }
}
