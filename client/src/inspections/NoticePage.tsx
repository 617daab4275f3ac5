import { Button, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../gql';

const Notice = graphql(`
  query InspectionNotice($id: ID!) {
    inspection(id: $id) {
      id
      scheduledAt
      leadDepartment {
        id
        name
      }
      enterprise {
        id
        name
        uscc
        address
      }
      officers {
        id
        name
        certificateNo
        department {
          id
          name
        }
      }
      items {
        id
        category
        item
        legalBasis
        department {
          id
          name
        }
      }
    }
  }
`);

/**
 * 检查告知书 (双清单): one notice for all departments — every item with its legal basis, the team,
 * the agreed time and what to prepare. Printed from the browser.
 */
export function NoticePage() {
  const { id = '' } = useParams();
  const [{ data }] = useQuery({ query: Notice, variables: { id } });
  const inspection = data?.inspection;
  if (!inspection) return null;
  const departments = [...new Set(inspection.items.map((i) => i.department.name))];
  return (
    <div style={{ background: '#fff', padding: 32, maxWidth: 840, margin: '0 auto' }}>
      <Button className="no-print" onClick={() => window.print()} style={{ float: 'right' }}>
        打印
      </Button>
      <style>{'@media print { .no-print, .ant-layout-sider, .ant-layout-header { display: none !important; } }'}</style>
      <Typography.Title level={3} style={{ textAlign: 'center' }}>
        部门联合双随机抽查检查告知书
      </Typography.Title>
      <Typography.Paragraph>
        {inspection.enterprise.name}（统一社会信用代码：{inspection.enterprise.uscc}）：
      </Typography.Paragraph>
      <Typography.Paragraph>
        根据“双随机、一公开”监管工作安排，{departments.join('、')}将对你单位开展部门联合抽查，“进一次门，查多项事”。检查时间为
        {inspection.scheduledAt ? ` ${new Date(inspection.scheduledAt).toLocaleString('zh-CN')} ` : '（另行约定）'}， 检查地点为
        {inspection.enterprise.address ?? '你单位住所（经营场所）'}。请按下列事项准备材料，并安排熟悉情况的人员配合检查。
      </Typography.Paragraph>
      <table style={{ width: '100%', borderCollapse: 'collapse' }} border={1} cellPadding={6}>
        <thead>
          <tr>
            <th style={{ width: 40 }}>序号</th>
            <th>检查事项</th>
            <th style={{ width: 150 }}>检查部门</th>
            <th>检查依据</th>
          </tr>
        </thead>
        <tbody>
          {inspection.items.map((item, i) => (
            <tr key={item.id}>
              <td>{i + 1}</td>
              <td>{item.item}</td>
              <td>{item.department.name}</td>
              <td>{item.legalBasis ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Typography.Paragraph style={{ marginTop: 16 }}>
        需准备的材料：营业执照；与上列各事项相关的许可、备案文件；经营台账、记录及相关票据；法定代表人（负责人）身份证明或授权委托书。
      </Typography.Paragraph>
      <Typography.Paragraph>
        检查人员：{inspection.officers.map((o) => `${o.name}（${o.department.name}，执法证号 ${o.certificateNo}）`).join('；')}
        。检查人员将出示执法证件。
      </Typography.Paragraph>
      <Typography.Paragraph style={{ textAlign: 'right', marginTop: 32 }}>
        {inspection.leadDepartment.name}（发起部门）
        <br />
        {new Date().toLocaleDateString('zh-CN')}
      </Typography.Paragraph>
    </div>
  );
}
