CREATE TABLE "asset_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"sectors" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "asset_settings" ADD CONSTRAINT "asset_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;