import { Alert, Button, DatePicker, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { CursorPager } from '../common/CursorPager';
import { useCursorPages } from '../common/use-cursor-pages';
import { graphql } from '../gql';
import type { PublicResultFieldsFragment } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { PublicShell } from './PublicShell';

/** An item's result as the public record shows it; the staff page uses the same fields. */
export const PublicItemFields = graphql(`
  fragment PublicItemFields on PublicItemResult {
    itemId
    department
    category
    item
    results
    problemKinds
    resultText
    corrected
  }
`);

/** A published record as the list and its own page show it. */
export const PublicResultFields = graphql(`
  fragment PublicResultFields on PublicResult {
    id
    enterpriseName
    uscc
    departments
    completedOn
    publishedOn
    corrected
    correctedOn
    correctionReason
    version
    tasks {
      planNo
      planName
      taskNo
      taskName
      drawType
    }
    items {
      ...PublicItemFields
    }
  }
`);

const Results = graphql(`
  query PublicResultList($enterprise: String, $departmentId: ID, $taskId: ID, $from: String, $to: String, $after: String) {
    publicResults(enterprise: $enterprise, departmentId: $departmentId, taskId: $taskId, from: $from, to: $to, first: 20, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        ...PublicResultFields
      }
    }
    publicFilterOptions {
      departments {
        id
        name
      }
      tasks {
        id
        name
        planName
      }
    }
  }
`);

const Detail = graphql(`
  query PublicResultDetail($id: ID!) {
    publicResult(id: $id) {
      ...PublicResultFields
      versions {
        version
        effectiveOn
        reason
        items {
          ...PublicItemFields
        }
      }
    }
  }
`);

type Row = PublicResultFieldsFragment;
type Filter = { enterprise?: string; departmentId?: string; taskId?: string; from?: string; to?: string };
type Item = Row['items'][number];
type Version = { version: number; effectiveOn: string; reason?: string | null; items: Item[] };

const DRAW_TYPES: Record<string, string> = { DIRECTED: '定向', UNDIRECTED: '不定向' };

/** One line for the list: “未发现问题” when every item says so, else the items that did not. */
function summary(row: Row): string {
  const texts = [...new Set(row.items.map((i) => i.resultText))];
  return texts.length === 1 ? texts[0] : texts.filter((t) => t !== '未发现问题').join('；');
}

function ItemsTable({ items }: { items: Item[] }) {
  return (
    <Table
      rowKey="itemId"
      size="small"
      pagination={false}
      dataSource={items}
      columns={[
        { title: '抽查机关', dataIndex: 'department', width: 200 },
        { title: '检查事项', dataIndex: 'item' },
        {
          title: '检查结果',
          key: 'result',
          width: 320,
          render: (_, i) => (
            <Space>
              <span>{i.resultText}</span>
              {i.corrected && <Tag color="orange">已更正</Tag>}
            </Space>
          ),
        },
      ]}
    />
  );
}

function VersionsList({ versions }: { versions: Version[] }) {
  return (
    <>
      {versions.map((v) => (
        <section key={v.version} style={{ marginBottom: 16 }}>
          <Typography.Title level={5}>
            第 {v.version} 版（{v.effectiveOn}）{v.reason ? `更正理由：${v.reason}` : '首次公示'}
          </Typography.Title>
          <ItemsTable items={v.items} />
        </section>
      ))}
    </>
  );
}

function VersionsDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const [{ data, fetching, error }] = useQuery({ query: Detail, variables: { id } });
  return (
    <Modal open title={`历次公示版本：${data?.publicResult.enterpriseName ?? ''}`} onCancel={onClose} footer={null} width={900}>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {fetching && <Typography.Text>加载中…</Typography.Text>}
      {data && <VersionsList versions={data.publicResult.versions} />}
    </Modal>
  );
}

/** A record's plans and tasks, its correction line and its items: the expanded row and the record's own page. */
function RecordBody({ row, onVersions }: { row: Row; onVersions?: () => void }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {row.tasks.map((t) => (
        <Typography.Text key={t.taskNo}>
          抽查计划：{t.planName}（{t.planNo}）{'\u3000'}抽查任务：{t.taskName}（{t.taskNo}）
          {t.drawType ? `\u3000抽查类型：${DRAW_TYPES[t.drawType]}` : ''}
        </Typography.Text>
      ))}
      {row.corrected && (
        <Alert
          type="warning"
          showIcon
          title={`已更正（${row.correctedOn}）：${row.correctionReason}`}
          action={
            onVersions && (
              <Button size="small" onClick={onVersions}>
                历次版本
              </Button>
            )
          }
        />
      )}
      <ItemsTable items={row.items} />
    </Space>
  );
}

/** One published record at its own address (/public/:id) with every version: to cite and to share. */
export function PublicRecordPage() {
  const { id = '' } = useParams();
  const [{ data, error }] = useQuery({ query: Detail, variables: { id } });
  const record = data?.publicResult;
  return (
    <PublicShell>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {record && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {record.enterpriseName} {record.corrected && <Tag color="orange">已更正</Tag>}
          </Typography.Title>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label="统一社会信用代码">{record.uscc}</Descriptions.Item>
            <Descriptions.Item label="抽查机关">{record.departments.join('、')}</Descriptions.Item>
            <Descriptions.Item label="抽查完成日期">{record.completedOn}</Descriptions.Item>
            <Descriptions.Item label="公示日期">{record.publishedOn}</Descriptions.Item>
          </Descriptions>
          <RecordBody row={record} />
          <Typography.Title level={5}>历次版本</Typography.Title>
          <VersionsList versions={record.versions} />
        </Space>
      )}
    </PublicShell>
  );
}

/** The public results page (一公开): no login, published results only, searchable. */
export function PublicPage() {
  const [filter, setFilter] = useState<Filter>({});
  const pages = useCursorPages();
  const [{ data, fetching, error }] = useQuery({ query: Results, variables: { ...filter, after: pages.after } });
  const [versionsOf, setVersionsOf] = useState<string | null>(null);
  const [form] = Form.useForm();
  const options = data?.publicFilterOptions;

  const search = (values: { enterprise?: string; departmentId?: string; taskId?: string; dates?: [Dayjs, Dayjs] | null }) => {
    pages.reset();
    setFilter({
      enterprise: values.enterprise?.trim() || undefined,
      departmentId: values.departmentId,
      taskId: values.taskId,
      from: values.dates?.[0]?.format('YYYY-MM-DD'),
      to: values.dates?.[1]?.format('YYYY-MM-DD'),
    });
  };

  return (
    <PublicShell>
      <Typography.Paragraph type="secondary">
        依据“谁检查、谁录入、谁公开”，各抽查机关在检查完成之日起 20 个工作日内公示抽查结果；更正须经部门负责人批准，并保留历次版本。
      </Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={search} style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item name="enterprise" label="企业">
          <Input allowClear placeholder="企业名称或统一社会信用代码" style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="departmentId" label="抽查机关">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 220 }}
            options={options?.departments.map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item name="taskId" label="抽查任务">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 280 }}
            options={options?.tasks.map((t) => ({ value: t.id, label: t.name, title: t.planName ?? undefined }))}
          />
        </Form.Item>
        <Form.Item name="dates" label="完成日期">
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                search({});
              }}
            >
              重置
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} />}
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text>共 {data?.publicResults.totalCount ?? 0} 条</Typography.Text>
        {/* The same filters as the list; one line per item, for spreadsheets and other systems. */}
        <Button
          size="small"
          href={`/api/public-results.csv?${new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => Boolean(entry[1])))}`}
        >
          导出 CSV
        </Button>
      </Space>
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={fetching}
        dataSource={data?.publicResults.nodes ?? []}
        pagination={false}
        scroll={{ x: 1100 }}
        expandable={{ expandedRowRender: (row) => <RecordBody row={row} onVersions={() => setVersionsOf(row.id)} /> }}
        columns={[
          {
            title: '企业名称',
            key: 'name',
            render: (_, r) => (
              <Space>
                <Link to={`/public/${r.id}`}>{r.enterpriseName}</Link>
                {r.corrected && <Tag color="orange">已更正</Tag>}
              </Space>
            ),
          },
          { title: '统一社会信用代码', dataIndex: 'uscc', width: 190 },
          { title: '抽查机关', key: 'departments', render: (_, r) => r.departments.join('、') },
          { title: '抽查任务', key: 'tasks', render: (_, r) => r.tasks.map((t) => t.taskName).join('；') },
          { title: '抽查完成日期', dataIndex: 'completedOn', width: 120 },
          { title: '公示日期', dataIndex: 'publishedOn', width: 110 },
          { title: '检查结果', key: 'result', render: (_, r) => summary(r) },
        ]}
      />
      <div style={{ marginTop: 16 }}>
        <CursorPager pages={pages} pageInfo={data?.publicResults.pageInfo} />
      </div>
      {versionsOf && <VersionsDialog id={versionsOf} onClose={() => setVersionsOf(null)} />}
    </PublicShell>
  );
}
