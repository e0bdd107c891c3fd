CREATE TABLE "dependencies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"from_kind" text NOT NULL,
	"from_service_id" uuid,
	"from_system_id" uuid,
	"to_kind" text NOT NULL,
	"to_service_id" uuid,
	"to_system_id" uuid,
	"to_provider_org_id" uuid,
	"type" text NOT NULL,
	"redundancy_group" text,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dependencies_from_check" CHECK (("dependencies"."from_kind" = 'service' and "dependencies"."from_service_id" is not null and "dependencies"."from_system_id" is null) or ("dependencies"."from_kind" = 'system' and "dependencies"."from_system_id" is not null and "dependencies"."from_service_id" is null)),
	CONSTRAINT "dependencies_to_check" CHECK (num_nonnulls("dependencies"."to_service_id", "dependencies"."to_system_id", "dependencies"."to_provider_org_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"department_org_id" uuid,
	"owner" text,
	"sector" text,
	"population_served" integer,
	"criticality_tier" integer,
	"rto_hours" double precision,
	"rpo_hours" double precision,
	"mtd_hours" double precision,
	"public_safety_impact" boolean DEFAULT false NOT NULL,
	"life_safety_impact" boolean DEFAULT false NOT NULL,
	"data_handled" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_tier_check" CHECK ("services"."criticality_tier" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "systems" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"vendor" text,
	"product" text,
	"version" text,
	"cpe" text,
	"purl" text,
	"site" text,
	"internet_exposed" boolean DEFAULT false NOT NULL,
	"owner" text,
	"data_classification" text,
	"hosting" text,
	"hosting_provider" text,
	"responsibility" text,
	"end_of_support" date,
	"buffer_hours" double precision DEFAULT 0 NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_from_service_id_services_id_fk" FOREIGN KEY ("from_service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_from_system_id_systems_id_fk" FOREIGN KEY ("from_system_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_to_service_id_services_id_fk" FOREIGN KEY ("to_service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_to_system_id_systems_id_fk" FOREIGN KEY ("to_system_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_to_provider_org_id_organizations_id_fk" FOREIGN KEY ("to_provider_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_department_org_id_organizations_id_fk" FOREIGN KEY ("department_org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systems" ADD CONSTRAINT "systems_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dependencies_org_idx" ON "dependencies" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dependencies_edge_key" ON "dependencies" USING btree ("org_id",coalesce("from_service_id", "from_system_id"),coalesce("to_service_id", "to_system_id", "to_provider_org_id"),"type");--> statement-breakpoint
CREATE INDEX "dependencies_from_system_idx" ON "dependencies" USING btree ("from_system_id");--> statement-breakpoint
CREATE INDEX "dependencies_from_service_idx" ON "dependencies" USING btree ("from_service_id");--> statement-breakpoint
CREATE INDEX "dependencies_to_system_idx" ON "dependencies" USING btree ("to_system_id");--> statement-breakpoint
CREATE INDEX "dependencies_to_service_idx" ON "dependencies" USING btree ("to_service_id");--> statement-breakpoint
CREATE INDEX "dependencies_to_provider_idx" ON "dependencies" USING btree ("to_provider_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "services_org_name_key" ON "services" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "systems_org_name_key" ON "systems" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE INDEX "systems_org_cpe_idx" ON "systems" USING btree ("org_id","cpe");