import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ImportMode {
  INSERT = 'INSERT',
  UPSERT = 'UPSERT',
}
registerEnumType(ImportMode, {
  name: 'ImportMode',
  description: '导入方式',
  valuesConfig: {
    INSERT: { description: '只新增：名录库中已有的代码报错' },
    UPSERT: { description: '新增或更新（名录库动态管理）：已有的按代码更新' },
  },
});

/** Most row errors a report lists; the count still covers all of them. */
export const MAX_LISTED_ERRORS = 10_000;

@ObjectType({ description: '导入中的一处错误' })
export class RowError {
  @Field(() => Int, { description: '行号（与表格中看到的一致；0 表示整个文件）' })
  row!: number;

  @Field(() => String, { description: '列（表头）' })
  column!: string;

  @Field(() => String, { description: '单元格内容' })
  value!: string;

  @Field(() => String, { description: '原因' })
  reason!: string;
}

@ObjectType({ description: '导入报告' })
export class ImportReport {
  @Field(() => Int, { description: '数据行数（不含表头）' })
  total = 0;

  @Field(() => Int, { description: '新增条数' })
  inserted = 0;

  @Field(() => Int, { description: '更新条数' })
  updated = 0;

  @Field(() => Int, { description: '有错误的行数' })
  failed = 0;

  @Field(() => Boolean, { description: '是否已写入：全部成功，或允许部分导入时写入了有效行' })
  committed = false;

  @Field(() => [RowError], { description: `错误明细（最多列出 ${MAX_LISTED_ERRORS} 条）` })
  errors: RowError[] = [];

  @Field(() => Int, { description: '错误总数' })
  errorCount = 0;

  addError(row: number, column: string, value: string, reason: string): void {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(Object.assign(new RowError(), { row, column, value, reason }));
  }
}
