import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { ProblemException } from './problem';
import { renumValidationPipe } from './validation';

class Item {
  @IsIn(['LAPTOP', 'DESKTOP']) type: string;
  @IsString() @IsNotEmpty() @MaxLength(100) brand: string;
  @IsOptional() @IsInt() @Min(0) valueCents?: number;
  @IsOptional() @IsISO8601() acquiredOn?: string;
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) weightKg?: number;
}

class Batch {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => Item) items: Item[];
}

const pipe = renumValidationPipe();

/** The problem the pipe answers for `body` posted as a Batch, or undefined if it passes. */
async function problemFor(body: unknown) {
  try {
    await pipe.transform(body, { type: 'body', metatype: Batch });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    return (error as ProblemException).getResponse() as { detail: string; errors: { field: string; message: string }[] };
  }
}

const valid = { type: 'LAPTOP', brand: 'Dell' };

describe('validation problems: one clear message per fault', () => {
  it.each([
    ['a missing field says it is required, once', { items: [{ type: 'LAPTOP' }] }, [{ field: 'items[0].brand', message: 'champ obligatoire' }]],
    ['a null field says it is required, once', { items: [{ type: 'LAPTOP', brand: null }] }, [{ field: 'items[0].brand', message: 'champ obligatoire' }]],
    ['a value of the wrong kind says only that', { items: 'x' }, [{ field: 'items', message: 'doit être une liste' }]],
    // An amount says it is in cents: a volunteer typing 120 for 120 € would be read as 1,20 €.
    ['an amount given as text says it is in cents', { items: [{ ...valid, valueCents: '90 €' }] }, [{ field: 'items[0].valueCents', message: 'montant en centimes : un nombre entier, sans virgule (par exemple 12000 pour 120,00 €)' }]],
    ['an amount with decimals says it is in cents', { items: [{ ...valid, valueCents: 120.5 }] }, [{ field: 'items[0].valueCents', message: 'montant en centimes : un nombre entier, sans virgule (par exemple 12000 pour 120,00 €)' }]],
    ['a number with too many decimals says so, not that it is no number', { items: [{ ...valid, weightKg: 1.234 }] }, [{ field: 'items[0].weightKg', message: 'trop de chiffres après la virgule' }]],
    ['a number given as text says only that', { items: [{ ...valid, weightKg: '1,5' }] }, [{ field: 'items[0].weightKg', message: 'doit être un nombre' }]],
    ['bounds are shown when the kind is right', { items: [{ ...valid, brand: '' }] }, [{ field: 'items[0].brand', message: 'ne doit pas être vide' }]],
    ['a value outside its list names the allowed ones', { items: [{ ...valid, type: 'PHONE' }] }, [{ field: 'items[0].type', message: "doit être l'une des valeurs : LAPTOP, DESKTOP" }]],
    ['a date in French form asks for ISO 8601, in French', { items: [{ ...valid, acquiredOn: '31/12/2020' }] }, [{ field: 'items[0].acquiredOn', message: 'doit être une date ISO 8601 (AAAA-MM-JJ)' }]],
    ['an empty list says its minimum', { items: [] }, [{ field: 'items', message: 'doit contenir au moins 1 élément(s)' }]],
    ['an unknown field is named', { items: [valid], colour: 'red' }, [{ field: 'colour', message: 'champ inconnu : retirez-le' }]],
  ])('%s', async (_case, body, errors) => {
    const problem = await problemFor(body);
    expect(problem?.errors).toEqual(errors);
  });

  it('counts fields, not messages, in the detail', async () => {
    const problem = await problemFor({ items: [{ type: 'PHONE' }, { type: 'LAPTOP', brand: 'x'.repeat(101), valueCents: -1 }] });
    expect(problem?.errors.map((e) => e.field)).toEqual(['items[0].type', 'items[0].brand', 'items[1].brand', 'items[1].valueCents']);
    expect(problem?.detail).toBe('4 champ(s) invalide(s) : items[0].type, items[0].brand, items[1].brand, items[1].valueCents.');
  });

  it.each([[[valid]], ['text'], [42]])('refuses a body that is not an object (%j) with one error', async (body) => {
    const problem = await problemFor(body);
    expect(problem?.errors).toEqual([{ field: '(body)', message: 'doit être un objet JSON' }]);
  });

  it('lets a valid body through', async () => {
    expect(await problemFor({ items: [valid] })).toBeUndefined();
  });
});
