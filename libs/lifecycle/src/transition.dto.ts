import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GRADES, Grade, PAYMENT_METHODS, PaymentMethod, TRANSITION_ACTIONS, TransitionAction } from '@renum/domain';
import { badRequest, bodyNotAnObject, validationProblem } from '@renum/platform';
import { plainToInstance, Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
  validateSync,
} from 'class-validator';

/** Fields every action accepts: a coordinator's override, with its written reason. */
export class TransitionBase {
  @ApiProperty({ enum: TRANSITION_ACTIONS })
  @IsIn(TRANSITION_ACTIONS)
  action: TransitionAction;

  @ApiPropertyOptional({ description: 'Coordinator only; requires reason' })
  @IsOptional()
  @IsBoolean()
  override?: boolean;

  reason?: string;
}

/** Most actions need no reason, except when a coordinator overrides. */
export class OverridableBody extends TransitionBase {
  @ApiPropertyOptional({ maxLength: 1000 })
  @ValidateIf((o) => o.override === true || o.reason !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'un motif écrit est obligatoire' })
  @MaxLength(1000)
  override reason?: string;
}

export class CollectBody extends OverridableBody {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Condition notes at pickup' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Coordinator forcing a collect (override): the workshop that takes custody' })
  @IsOptional()
  @IsUUID()
  workshopOrganizationId?: string;
}

export class WipeBody extends OverridableBody {
  @ApiPropertyOptional({ description: 'States explicitly that the device has no storage medium' })
  @IsOptional()
  @Equals(true, { message: 'noStorage ne peut valoir que true' })
  noStorage?: true;
}

export class PlainBody extends OverridableBody {}

export class RefurbishBody extends OverridableBody {
  @ApiProperty({ enum: GRADES })
  @IsIn(GRADES)
  grade: Grade;

  @ApiProperty({ example: { ecran: true, clavier: true, wifi: true }, description: 'Every functional test and whether it passed' })
  @IsObject()
  checklist: Record<string, boolean>;

  @ApiPropertyOptional({ example: 'Linux Mint 22', description: 'The installed operating system: required for laptops, desktops, smartphones and tablets (422 checklist-incomplete)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  os?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Required for laptops, smartphones and tablets (422 checklist-incomplete)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  batteryHealthPct?: number;
}

export class PublishBody extends OverridableBody {
  @ApiProperty({ description: 'Solidarity price in cents, ≤ the cap of the device type' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  priceCents: number;
}

export class ReserveBody extends OverridableBody {
  @ApiPropertyOptional({ description: "The charity's own file reference (stored only as a keyed hash)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  beneficiaryRef?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  expiresInDays?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Coordinator forcing a reserve (override): the charity the reservation is for' })
  @IsOptional()
  @IsUUID()
  charityOrganizationId?: string;
}

export class ReleaseBody extends TransitionBase {
  @ApiProperty({
    maxLength: 1000,
    description: "Why the reservation ends, kept in the device's history for good: never a beneficiary's name, phone or situation. Shown to the releasing charity and the coordinator only.",
  })
  @IsString()
  @IsNotEmpty({ message: 'un motif est obligatoire' })
  @MaxLength(1000)
  override reason: string;
}

export class BeneficiaryInput {
  @ApiProperty({ description: "The charity's own file reference" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  ref: string;

  // Any other text is refused by the transition against the territory's list, which it names.
  @ApiProperty({ example: 'minima_sociaux', description: "A code of the territory's eligibility list (territory settings `eligibilityCodes`)" })
  @IsString()
  @IsNotEmpty({ message: "indiquez un code de la liste d'éligibilité du territoire" })
  @MaxLength(50)
  eligibility: string;

  @ApiProperty({ example: '69100', description: 'French postal code (5 digits)' })
  @IsString()
  @Matches(/^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$/, { message: 'doit être un code postal français à 5 chiffres' })
  postalCode: string;
}

export class DistributeBody extends OverridableBody {
  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  priceCents: number;

  @ApiProperty({ enum: PAYMENT_METHODS })
  @IsIn(PAYMENT_METHODS)
  paymentMethod: PaymentMethod;

  @ApiProperty({ type: BeneficiaryInput })
  @ValidateNested()
  @Type(() => BeneficiaryInput)
  @IsObject()
  beneficiary: BeneficiaryInput;
}

export class ReturnBody extends ReleaseBody {}

export class RecycleBody extends OverridableBody {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  recyclerOrganizationId: string;

  @ApiPropertyOptional({ description: 'States explicitly that the device has no storage medium (recycled without being wiped first)' })
  @IsOptional()
  @Equals(true, { message: 'noStorage ne peut valoir que true' })
  noStorage?: true;
}

export const TRANSITION_BODIES: Record<TransitionAction, typeof TransitionBase> = {
  collect: CollectBody,
  wipe: WipeBody,
  start_refurbish: PlainBody,
  refurbish: RefurbishBody,
  publish: PublishBody,
  reserve: ReserveBody,
  release: ReleaseBody,
  distribute: DistributeBody,
  return: ReturnBody,
  recycle: RecycleBody,
  dismantle: PlainBody,
};

/** Validates a transition body against the DTO of its action; unknown fields are refused. */
export function parseTransitionBody(body: unknown): TransitionBase & Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bodyNotAnObject();
  const action = (body as { action?: unknown }).action;
  if (typeof action !== 'string' || !(TRANSITION_ACTIONS as readonly string[]).includes(action)) {
    throw badRequest(`Action inconnue. Actions possibles : ${TRANSITION_ACTIONS.join(', ')}.`, [
      { field: 'action', message: `doit être l'une des valeurs : ${TRANSITION_ACTIONS.join(', ')}` },
    ]);
  }
  const dto = plainToInstance(TRANSITION_BODIES[action as TransitionAction], body);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw validationProblem(errors);
  if (dto instanceof RefurbishBody && Object.values(dto.checklist).some((v) => typeof v !== 'boolean')) {
    throw badRequest('Chaque test de la checklist doit valoir true ou false.', [{ field: 'checklist', message: 'valeurs booléennes attendues' }]);
  }
  if (dto instanceof DistributeBody && dto.paymentMethod === 'FREE' && dto.priceCents !== 0) {
    throw badRequest('Un don gratuit (FREE) doit avoir priceCents = 0.', [{ field: 'priceCents', message: 'doit valoir 0 pour FREE' }]);
  }
  return dto as TransitionBase & Record<string, unknown>;
}
